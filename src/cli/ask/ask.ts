/** `llmo ask`: one prompt, one reply on stdout (streamed as it arrives), or one JSON object. */
import { UsageError } from '../../errors.js';
import { callModel, type CallResult, type ResolvedModel } from '../../orchestrator/call-model.js';
import { checkContentParts } from '../../orchestrator/check-content-parts.js';
import { composeSystemPrompt } from '../../orchestrator/system-prompt.js';
import { ProviderUnavailableError, type Message, type ModelRequest } from '../../providers/spec.js';
import { minimumPromptTokens } from '../../usage/estimate.js';
import { withCommas } from '../../usage/pricing.js';
import { usageJsonFields } from '../../usage/usage-record.js';
import type { AskOptions } from './ask-command.js';
import { openAskConversation } from './ask-conversation.js';
import { createAccounting, createResolver, defaultModelRef, getConfig, retryPolicy, timeoutMs } from '../context.js';
import { note, warn } from '../output.js';
import { parseNumberFlag } from '../parse-number.js';
import { joinPrompt, readPipedStdin } from '../read-stdin.js';
import { abortOnInterrupt } from '../signals.js';

export async function ask(promptWords: string[], options: AskOptions): Promise<void> {
  const temperature = parseNumberFlag('--temperature', options.temperature, { min: 0, max: 2 });
  const maxTokens = parseNumberFlag('--max-tokens', options.maxTokens, { min: 1, integer: true });
  checkTimeoutFlag(options.timeout);
  const structured = options.schema === undefined && options.schemaMulti === undefined ? undefined : await import('./ask-structured.js');
  if (!structured) refuseSchemaFlagsWithoutSchema(options);
  const schema = await structured?.prepareSchemaFlags(options);
  const config = getConfig();
  const system = composeSystemPrompt(config.catalog.systemPrompts, options);
  const piped = await readPipedStdin();
  refuseBinary(piped);
  const prompt = joinPrompt(promptWords.join(' '), piped);
  if (prompt === '') {
    throw new UsageError('no prompt given', { hint: 'pass it as arguments (llmo ask "…") or pipe it on stdin (… | llmo ask)' });
  }

  const requestTimeout = timeoutMs(options.timeout);
  const resolve = createResolver({ quiet: false });
  const conversation = await openAskConversation(options);
  // A continued conversation carries on with its own model, as `chat --resume` does, unless -m says otherwise.
  const resolved = await resolve(options.model ?? conversation.model ?? defaultModelRef());
  const messages: Message[] = [
    ...(system ? [{ role: 'system' as const, content: system }] : []),
    ...conversation.history,
    { role: 'user', content: prompt },
  ];
  const request: ModelRequest = {
    messages,
    maxTokens,
    temperature,
  };
  refuseOverContextWindow(messages, resolved);
  checkContentParts(request, resolved, config.catalog);
  const accounting = await createAccounting({ noBudget: !options.budget });
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
      prompt,
      timeoutMs: requestTimeout,
    });
    return;
  }

  const interrupt = abortOnInterrupt();
  // The last character written, so the answer's final line can be terminated.
  let lastPrinted = '';
  const result = await callModel({
    resolved,
    request,
    source: { kind: 'ask', ...(conversation.id ? { id: conversation.id } : {}) },
    accounting,
    retry: retryPolicy(),
    stream: options.stream,
    signal: interrupt.signal,
    timeoutMs: requestTimeout,
    onText: options.json
      ? undefined
      : (delta) => {
          if (delta === '') return;
          lastPrinted = delta.at(-1)!;
          process.stdout.write(delta);
        },
    onWarning: (message) => warn(message),
  }).finally(() => interrupt.dispose());

  // Terminate the answer's last line so the shell prompt (or the error below) starts on its own.
  if (!options.json && lastPrinted !== '' && lastPrinted !== '\n') process.stdout.write('\n');

  let conversationId: string | undefined;
  if (result.status === 'ok' || result.text !== '') {
    conversationId = await conversation.save({ system, prompt, result });
  }
  if (options.json) {
    const output = {
      provider: result.provider,
      model: result.responseModel ?? result.modelId,
      text: result.text,
      finish_reason: result.finishReason ?? (result.status === 'aborted' ? 'aborted' : 'error'),
      usage: usageJsonFields(result.usage),
      cost_usd: result.costUsd ?? null,
      duration_ms: result.durationMs,
      conversation_id: conversationId ?? null,
      ...(result.error ? { error: { kind: result.error.name, message: result.error.message } } : {}),
    };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  }
  if (result.error) {
    if (result.text !== '' && result.status === 'error' && !options.json) {
      throw Object.assign(result.error, { message: `${result.error.message} (the partial reply above is incomplete)` });
    }
    throw result.error;
  }
  sayHowItEnded(result, maxTokens, resolved.requestMaxTokens);
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
