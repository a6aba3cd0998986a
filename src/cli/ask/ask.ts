/** `llmo ask`: one prompt, one reply on stdout (streamed as it arrives), or one JSON object. */
import type { ModelCatalog } from '../../config/catalog.js';
import { MAX_TIMEOUT_SECONDS } from '../../config/settings.js';
import { UsageError, ValidationError } from '../../errors.js';
import { fencedCodeBlocks } from '../../orchestrator/extract-code-block.js';
import { callModel, type CallResult, type ResolvedModel } from '../../orchestrator/call-model.js';
import { callWithFallback } from '../../orchestrator/call-with-fallback.js';
import { checkContentParts } from '../../orchestrator/check-content-parts.js';
import { exchangeOf, runToolLoop } from '../../orchestrator/run-tool-loop.js';
import { composeSystemPrompt } from '../../orchestrator/system-prompt.js';
import { ProviderUnavailableError, type Message, type ModelRequest } from '../../providers/spec.js';
import { minimumPromptTokens } from '../../usage/estimate.js';
import { formatUsd, withCommas } from '../../usage/pricing.js';
import type { AskOptions } from './ask-command.js';
import { openAskConversation } from './ask-conversation.js';
import { createMarkdownOutput } from './markdown-output.js';
import { createAccounting, createResolver, defaultModelRef, getConfig, responseCache, retryPolicy, timeoutMs } from '../context.js';
import { note, useColor, warn } from '../output.js';
import { toolCallLine } from '../tools/tool-call-line.js';
import { resolveWanted } from '../route/resolve-wanted.js';
import { answerOfCall, answerOfLoop, askJson, toolEvent, writeEvent, type AskAnswer } from './ask-output.js';
import { parseNumberFlag } from '../parse-number.js';
import { joinPrompt, readPipedStdin } from '../read-stdin.js';
import { abortOnInterrupt } from '../signals.js';

export async function ask(promptWords: string[], options: AskOptions): Promise<void> {
  const temperature = parseNumberFlag('--temperature', options.temperature, { min: 0, max: 2 });
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
  const prompt = joinPrompt(promptWords.join(' '), piped);
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
  // A continued conversation carries on with its own model, as `chat --resume` does, unless -m says otherwise.
  const { resolved, runnersUp } = await resolveWanted(options.model ?? conversation.model ?? defaultModelRef(), resolve, {
    request: { messages, maxTokens },
    tools: Boolean(options.tools),
    schema: schema !== undefined,
    explain: options.explain,
  });
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
      // A routed model falls back to the next of its ranking, unless fallbacks are named.
      const named = options.fallback.length > 0 ? options.fallback : config.settings.fallback;
      const fallbacks = named.length > 0 ? named : (runnersUp ?? []);
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
  if (error) {
    if (result.text !== '' && result.status === 'error' && error === result.error && !quietText && !extract) {
      throw Object.assign(error, { message: `${error.message} (the partial reply above is incomplete)` });
    }
    throw error;
  }
  sayHowItEnded(result, maxTokens, resolved.requestMaxTokens);
}

/** After a tool loop, what the steps cost together (each step was a paid call). */
function reportSpend(answer: AskAnswer): void {
  const calls = answer.toolCalls?.length ?? 0;
  const tokens = answer.usage ? `, ${withCommas(answer.usage.inputTokens)} in / ${withCommas(answer.usage.outputTokens)} out` : '';
  note(
    `${answer.steps} step${answer.steps === 1 ? '' : 's'}, ${calls} tool call${calls === 1 ? '' : 's'}${tokens}${answer.costUsd === undefined ? '' : `, ${formatUsd(answer.costUsd)}`}`,
  );
}

/** Images and PDFs within what the model's endpoint takes (each adapter's documented limits). */
async function checkAttachmentLimits(request: ModelRequest, resolved: ResolvedModel, catalog: ModelCatalog): Promise<void> {
  const api = catalog.providers.get(resolved.provider)?.api;
  if (!api) return;
  const { loadAttachmentLimits } = await import('../../providers/registry.js');
  const { checkAttachmentSizes } = await import('../../orchestrator/check-attachment-sizes.js');
  checkAttachmentSizes(request, await loadAttachmentLimits(api), `${resolved.provider}:${resolved.modelId}`);
}

/** `-x` (the first block) or `--extract-last`; refused with output forms that are not the answer's text. */
function extractFlag(options: AskOptions): 'first' | 'last' | undefined {
  if (options.extract && options.extractLast) throw new UsageError('-x and --extract-last ask for different blocks; give one');
  const flag = options.extract ? '-x' : options.extractLast ? '--extract-last' : undefined;
  if (!flag) return undefined;
  const clash = options.json
    ? '--json'
    : options.schema !== undefined
      ? '--schema'
      : options.schemaMulti !== undefined
        ? '--schema-multi'
        : undefined;
  if (clash) throw new UsageError(`${flag} prints a code block of the answer's text; it does not combine with ${clash}`);
  return options.extract ? 'first' : 'last';
}

/** The chosen code block on stdout; an answer without one is exit 7, with the way to read it whole. */
function printCodeBlock(text: string, which: 'first' | 'last', conversationId: string | undefined): void {
  const blocks = fencedCodeBlocks(text);
  const block = which === 'first' ? blocks[0] : blocks.at(-1);
  if (block === undefined) {
    throw new ValidationError('the answer has no fenced code block to extract; nothing was printed', {
      hint: conversationId
        ? `read the whole answer with: llmo conversations show ${conversationId}`
        : 'ask again without -x to see the whole answer',
    });
  }
  process.stdout.write(block);
}

/** --repair, --repair-model and --keep-invalid mean nothing without a schema: refused, not ignored. */
function refuseSchemaFlagsWithoutSchema(options: AskOptions): void {
  const given = [
    options.repair !== undefined && '--repair',
    options.repairModel !== undefined && '--repair-model',
    options.keepInvalid && '--keep-invalid',
  ].filter(Boolean);
  if (given.length) throw new UsageError(`${given.join(', ')} only apply with --schema or --schema-multi`);
}

/** `--timeout` is a flag: a bad value is a usage error (exit 2), said before anything else runs. */
function checkTimeoutFlag(value: string | undefined): void {
  if (value === undefined) return;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`--timeout must be a positive number of seconds, got "${value}"`);
  }
  // Beyond Node's timer range the timeout would fire after 1 ms and cut every request.
  if (seconds > MAX_TIMEOUT_SECONDS)
    throw new UsageError(`--timeout can be at most ${MAX_TIMEOUT_SECONDS} seconds (a day), got "${value}"`);
}

/**
 * Piped bytes that are not text (a NUL byte, as in images, archives and UTF-16 files, or bytes
 * that are mostly not UTF-8) would reach the model as replacement characters: a paid request for
 * a meaningless answer. Refused before anything is sent.
 */
function refuseBinary(piped: string | undefined): void {
  if (!piped) return;
  let replaced = 0;
  for (let index = piped.indexOf('\uFFFD'); index !== -1; index = piped.indexOf('\uFFFD', index + 1)) replaced++;
  const why = piped.includes('\u0000')
    ? 'it has NUL bytes'
    : replaced > 8 && replaced * 10 > piped.length
      ? 'most of it is not UTF-8'
      : undefined;
  if (why === undefined) return;
  throw new UsageError(`stdin looks like binary data, not text (${why}); nothing was sent`, {
    hint: 'pipe text: convert the file first (iconv for UTF-16, pdftotext for a PDF, base64 or xxd for raw bytes)',
  });
}

/**
 * A prompt that cannot fit the model's context window is refused before it is sent (a 10 MB pipe
 * would otherwise upload for seconds to come back as a 400). The count used is a floor, not an
 * estimate (see minimumPromptTokens), so a prompt that might fit is always sent and the vendor has
 * the last word; models without a context_window in models.yaml are not checked.
 */
function refuseOverContextWindow(messages: readonly Message[], resolved: ResolvedModel): void {
  const window = resolved.info?.contextWindow;
  if (window === undefined) return;
  const atLeast = minimumPromptTokens(messages);
  if (atLeast <= window) return;
  throw new UsageError(
    `the prompt is at least ${withCommas(atLeast)} tokens, more than the ${withCommas(window)}-token context window of ${resolved.provider}:${resolved.modelId}; nothing was sent`,
    { hint: 'send less (split the input, or summarise it in parts), or pick a model with a larger context window (llmo models)' },
  );
}

/** What stdout alone cannot tell: the reply was cut short, filtered, empty or only reasoning. */
function sayHowItEnded(result: CallResult, maxTokens: number | undefined, defaultMaxTokens: number | undefined): void {
  const who = `${result.provider}:${result.modelId}`;
  const onlyReasoning = result.text === '' && result.reasoning !== '';
  switch (result.finishReason) {
    case 'length': {
      const limit =
        maxTokens !== undefined
          ? `--max-tokens ${maxTokens}`
          : defaultMaxTokens !== undefined
            ? `the default of ${defaultMaxTokens} output tokens (request.max_tokens)`
            : 'the output token limit';
      warn(
        onlyReasoning
          ? `${who} spent all of ${limit} on reasoning and gave no answer; raise --max-tokens`
          : `the reply was cut off at ${limit}; raise --max-tokens for the rest`,
      );
      return;
    }
    case 'content-filter':
      warn(
        `${result.provider} stopped the reply with its content filter${result.text === '' ? '; there is no answer' : '; the reply is incomplete'}`,
      );
      return;
    case 'error':
      // The vendor ended the stream on its own failure (DeepSeek: insufficient_system_resource).
      throw new ProviderUnavailableError(`${result.provider}: the reply ended with an error on the provider's side; it may be incomplete`, {
        provider: result.provider,
        requestId: result.requestId,
      });
    default:
      if (onlyReasoning) note(`${who} answered with reasoning only, no reply text`);
      else if (result.text === '') note(`${who} sent an empty reply`);
  }
}
