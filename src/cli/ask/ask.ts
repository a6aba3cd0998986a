/** `llmo ask`: one prompt, one reply on stdout (streamed as it arrives), or one JSON object. */
import { UsageError } from '../../errors.js';
import { callModel } from '../../orchestrator/call-model.js';
import { callWithFallback } from '../../orchestrator/call-with-fallback.js';
import { checkContentParts } from '../../orchestrator/check-content-parts.js';
import { exchangeOf, runToolLoop } from '../../orchestrator/run-tool-loop.js';
import { composeSystemPrompt } from '../../orchestrator/system-prompt.js';
import type { Message, ModelRequest } from '../../providers/spec.js';
import type { AskOptions } from './ask-command.js';
import {
  checkAttachmentLimits,
  checkTimeoutFlag,
  extractFlag,
  refuseBinary,
  refuseOverContextWindow,
  refuseSchemaFlagsWithoutSchema,
} from './ask-checks.js';
import { printCodeBlock, reportSpend, sayHowItEnded } from './ask-ending.js';
import { openAskConversation } from './ask-conversation.js';
import { createMarkdownOutput } from './markdown-output.js';
import { createAccounting, createResolver, defaultModelRef, getConfig, responseCache, retryPolicy, timeoutMs } from '../context.js';
import { useColor, warn } from '../output.js';
import { toolCallLine } from '../tools/tool-call-line.js';
import { resolveWanted } from '../route/resolve-wanted.js';
import { answerOfCall, answerOfLoop, askJson, toolEvent, writeEvent, type AskAnswer } from './ask-output.js';
import { parseNumberFlag } from '../parse-number.js';
import { applyPresets, fillTemplatePrompt, modeTemperatureFor } from '../presets/apply-presets.js';
import { joinPrompt, readPipedStdin } from '../read-stdin.js';
import { abortOnInterrupt } from '../signals.js';

export async function ask(promptWords: string[], given: AskOptions): Promise<void> {
  // Only -t and --mode read the configuration this early; without them, flags are checked first.
  const presets =
    given.template !== undefined || given.mode !== undefined || given.param?.length ? applyPresets(given, getConfig()) : undefined;
  const options = presets?.options ?? given;
  const wantedTemperature = parseNumberFlag('--temperature', options.temperature, { min: 0, max: 2 });
  const maxTokens = parseNumberFlag('--max-tokens', options.maxTokens, { min: 1, integer: true });
  checkTimeoutFlag(options.timeout);
  const extract = extractFlag(options);
  if (options.json && options.streamJson)
    throw new UsageError('--json and --stream-json cannot be used together', { hint: 'the last --stream-json line is the --json object' });
  const structured = options.schema === undefined && options.schemaMulti === undefined ? undefined : await import('./ask-structured.js');
  if (!structured) refuseSchemaFlagsWithoutSchema(options);
  const schema = await structured?.prepareSchemaFlags(options);
  const config = getConfig();
  const system = composeSystemPrompt(config.catalog.systemPrompts, options);
  // `-a -` takes stdin as an attachment; otherwise piped text joins the prompt.
  const attachments = options.attach.length ? await (await import('../read-attachments.js')).readAttachments(options.attach) : [];
  const piped = options.attach.includes('-') ? undefined : await readPipedStdin();
  refuseBinary(piped);
  const fragments = options.fragment.length ? await import('../read-fragments.js') : undefined;
  const typed = joinPrompt(promptWords.join(' '), piped);
  const prompt = presets?.template ? fillTemplatePrompt(presets.template, typed, presets.params) : typed;
  const context = fragments ? await fragments.readFragments(options.fragment) : [];
  if (prompt === '') {
    throw new UsageError('no prompt given', { hint: 'pass it as arguments (llmo ask "…") or pipe it on stdin (… | llmo ask)' });
  }

  const requestTimeout = timeoutMs(options.timeout);
  // The SDK loads at the first request: an answer from the response cache needs none.
  const resolve = createResolver({ quiet: false, deferAdapter: true });
  const conversation = await openAskConversation(options);
  const promptText = fragments ? fragments.withFragments(context, prompt) : prompt;
  const messages: Message[] = [
    ...(system ? [{ role: 'system' as const, content: system }] : []),
    ...conversation.history,
    { role: 'user', content: attachments.length ? [{ type: 'text', text: promptText }, ...attachments] : promptText },
  ];
  // A continued conversation carries on with its own model, as `chat --resume` does, unless -m
  // (or -t's model) says otherwise; a mode's model is only a preference.
  const wantedModel = presets?.modeModel ? (conversation.model ?? options.model) : (options.model ?? conversation.model);
  const resolved = await resolveWanted(wantedModel ?? defaultModelRef(), resolve, {
    request: { messages, maxTokens },
    tools: Boolean(options.tools),
    schema: schema !== undefined,
    explain: options.explain,
  });
  const temperature = modeTemperatureFor(presets, wantedTemperature, config.catalog, resolved);
  const request: ModelRequest = {
    messages,
    maxTokens,
    temperature,
  };
  refuseOverContextWindow(messages, resolved);
  checkContentParts(request, resolved, config.catalog);
  if (attachments.length) await checkAttachmentLimits(request, resolved, config.catalog);
  const accounting = await createAccounting({ noBudget: !options.budget });
  if (structured && (options.tools || options.streamJson)) {
    throw new UsageError(`--schema cannot be used with ${options.tools ? '--tools' : '--stream-json'} yet`, {
      hint: 'ask for the JSON in a second llmo ask, or drop one of the flags',
    });
  }
  if (structured && schema) {
    await structured.askStructured({
      ask: schema,
      options,
      resolved,
      resolve,
      request,
      accounting,
      conversation,
      system,
      prompt: promptText,
      timeoutMs: requestTimeout,
    });
    return;
  }

  // The MCP client (and the vault for its secrets) loads only when tools are asked for.
  const tools = options.tools
    ? await (async () => {
        const { openRunTools } = await import('../tools/open-run-tools.js');
        const { canAskOnTerminal, confirmOnTerminal } = await import('../tools/confirm-on-terminal.js');
        return openRunTools(config, options, { confirm: canAskOnTerminal() ? confirmOnTerminal(() => endLine()) : undefined });
      })()
    : undefined;
  const streamJson = Boolean(options.streamJson);
  const quietText = Boolean(options.json) || streamJson;
  // On a terminal the reply is rendered as markdown; a pipe (and --raw) gets it exactly as the
  // model sent it. Not with tools: their call lines go between the reply's parts as they happen.
  const markdown =
    !quietText && !extract && !options.raw && !tools && process.stdout.isTTY
      ? createMarkdownOutput({
          write: (text) => process.stdout.write(text),
          width: () => process.stdout.columns || 80,
          color: useColor(process.stdout),
        })
      : undefined;
  // The last character written, so the answer's final line can be terminated.
  let lastPrinted = '';
  const endLine = () => {
    if (!quietText && lastPrinted !== '' && lastPrinted !== '\n') process.stdout.write('\n');
    lastPrinted = '';
  };
  const color = useColor();
  const common = {
    resolved,
    request,
    source: { kind: 'ask' as const, ...(conversation.id ? { id: conversation.id } : {}) },
    accounting,
    retry: retryPolicy(),
    stream: options.stream,
    timeoutMs: requestTimeout,
    onText: (delta: string) => {
      if (delta === '') return;
      if (streamJson) return writeEvent({ type: 'text', delta });
      // -x prints a code block of the whole answer, so nothing is printed as it streams.
      if (options.json || extract) return;
      if (markdown) return markdown.write(delta);
      lastPrinted = delta.at(-1)!;
      process.stdout.write(delta);
    },
    onReasoning: streamJson ? (delta: string) => writeEvent({ type: 'reasoning', delta }) : undefined,
    onWarning: (message: string) => (streamJson ? writeEvent({ type: 'warning', message }) : warn(message)),
  };

  let conversationSteps: ReturnType<typeof exchangeOf> | undefined;
  const interrupt = abortOnInterrupt();
  let answer: AskAnswer;
  try {
    if (tools) {
      const run = await runToolLoop({
        ...common,
        ...tools,
        signal: interrupt.signal,
        onEvent: (event) => {
          const line = streamJson ? toolEvent(event) : undefined;
          if (line) writeEvent(line);
          if (event.type !== 'tool-result' || streamJson) return;
          endLine();
          process.stderr.write(`${toolCallLine(event.record, color)}\n`);
        },
      });
      answer = answerOfLoop(run);
      conversationSteps = exchangeOf(run);
    } else {
      // A plain call may be answered from the response cache, and falls back to the next model when it fails.
      const cache = await responseCache(options.cache);
      // None named: a routed model falls back to the next of its ranking.
      const fallbacks = options.fallback.length > 0 ? options.fallback : config.settings.fallback;
      answer = answerOfCall(
        await callWithFallback({
          first: resolved,
          fallbacks,
          resolve,
          onFallback: common.onWarning,
          call: (model) => callModel({ ...common, resolved: model, signal: interrupt.signal, cache }),
        }),
      );
    }
  } finally {
    interrupt.dispose();
    await tools?.host.close();
  }
  const result = answer.final;

  // Terminate the answer's last line so the shell prompt (or the error below) starts on its own.
  if (markdown) await markdown.finish();
  else endLine();

  let conversationId: string | undefined;
  if (result.status === 'ok' || result.text !== '' || answer.steps > 1) {
    conversationId = await conversation.save({
      system,
      prompt: promptText,
      ...(conversationSteps ?? { reply: result, toolSteps: [] }),
    });
  }
  if (options.json) process.stdout.write(`${JSON.stringify(askJson(answer, conversationId), null, 2)}\n`);
  if (streamJson) writeEvent({ type: 'result', ...askJson(answer, conversationId) });
  if (tools && !quietText) reportSpend(answer);
  const error = answer.error;
  if (extract && !error) printCodeBlock(result.text, extract, conversationId);
  // The next identical `llmo ask` may be answered without loading any of this (direct-answer.ts).
  if (result.cacheKey && process.argv[2] === 'ask') {
    const plainOnly = !markdown && !quietText && !extract && !tools && !presets && !attachments.length && !context.length && !piped;
    const { rememberDirectAnswer } = await import('./remember-direct-answer.js');
    await rememberDirectAnswer({
      argv: process.argv.slice(2),
      paths: config.paths,
      options,
      wanted: { provider: resolved.provider, modelId: resolved.modelId, listed: resolved.info !== undefined },
      result,
      ttlMs: config.settings.cache.ttlSeconds * 1000,
      plainOnly: plainOnly && conversation.history.length === 0 && conversationId === undefined,
    });
  }
  if (error) {
    if (result.text !== '' && result.status === 'error' && error === result.error && !quietText && !extract) {
      throw Object.assign(error, { message: `${error.message} (the partial reply above is incomplete)` });
    }
    throw error;
  }
  sayHowItEnded(result, maxTokens, resolved.requestMaxTokens);
}
