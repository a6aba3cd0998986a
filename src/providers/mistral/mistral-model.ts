import type { MistralCore } from '@mistralai/mistralai/core.js';
import type { ChatCompletionRequest } from '@mistralai/mistralai/models/components/chatcompletionrequest.js';
import type { CompletionEvent } from '@mistralai/mistralai/models/components/completionevent.js';
import type { RequestOptions } from '@mistralai/mistralai/lib/sdks.js';
import {
  abortErrorFor,
  type CallOptions,
  type GenerateResult,
  type LanguageModel,
  type ModelRequest,
  type ProviderSettings,
  type StreamPart,
  type Usage,
} from '../spec.js';
import { convertToMistralMessages } from './convert-to-mistral-messages.js';
import { extractMistralContent } from './extract-mistral-content.js';
import { mapMistralFinishReason } from './map-mistral-finish-reason.js';
import { mapMistralUsage } from './map-mistral-usage.js';
import { mapMistralError, mapMistralStreamError, streamCutOffError, type MistralErrorContext } from './mistral-error.js';

/**
 * The SDK loads on a model's first request, never when the model is built, and only through its
 * standalone functions. The package entry evaluates the schemas of every endpoint (≈850 ms);
 * `core.js` plus one `funcs/*` module still imports the shared schema barrel when run unbundled
 * (≈570 ms), but esbuild tree-shakes that barrel down to the chat schemas (≈50 ms).
 */
let streamSdk:
  | Promise<{ MistralCore: typeof MistralCore; chatStream: typeof import('@mistralai/mistralai/funcs/chatStream.js').chatStream }>
  | undefined;
let completeSdk:
  | Promise<{ MistralCore: typeof MistralCore; chatComplete: typeof import('@mistralai/mistralai/funcs/chatComplete.js').chatComplete }>
  | undefined;

function loadStreamSdk() {
  streamSdk ??= Promise.all([import('@mistralai/mistralai/core.js'), import('@mistralai/mistralai/funcs/chatStream.js')]).then(
    ([core, funcs]) => ({ MistralCore: core.MistralCore, chatStream: funcs.chatStream }),
  );
  return streamSdk;
}

function loadCompleteSdk() {
  completeSdk ??= Promise.all([import('@mistralai/mistralai/core.js'), import('@mistralai/mistralai/funcs/chatComplete.js')]).then(
    ([core, funcs]) => ({ MistralCore: core.MistralCore, chatComplete: funcs.chatComplete }),
  );
  return completeSdk;
}

/** The request body both endpoints share (`stream` is set by the SDK function used). */
export type MistralRequestBody = Omit<ChatCompletionRequest, 'stream'>;

/** `providerOptions.mistral` keys passed through to the body; anything else becomes a warning. */
const PASSED_THROUGH_OPTIONS = [
  'reasoningEffort',
  'promptMode',
  'topP',
  'randomSeed',
  'safePrompt',
  'presencePenalty',
  'frequencyPenalty',
] as const;

/**
 * Our request → Mistral's body, plus a warning for each setting Mistral cannot honour. The SDK
 * validates types itself and refuses bad values before sending (mapped to BadRequestError).
 */
export function prepareMistralRequest(modelId: string, request: ModelRequest): { body: MistralRequestBody; warnings: string[] } {
  const warnings: string[] = [];
  const body: MistralRequestBody = { model: modelId, messages: convertToMistralMessages(request.messages) };
  if (request.maxTokens !== undefined) body.maxTokens = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
  // Options keyed for other adapters are theirs: one request may fan out to several providers.
  const options = request.providerOptions?.mistral ?? {};
  const passedThrough: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if ((PASSED_THROUGH_OPTIONS as readonly string[]).includes(key)) passedThrough[key] = value;
    else warnings.push(`mistral: ignored providerOptions.mistral.${key}; the known options are ${PASSED_THROUGH_OPTIONS.join(', ')}`);
  }
  return { body: { ...body, ...passedThrough }, warnings };
}

/**
 * One call's signal: the caller's, a timeout, and our own abort for tearing the connection down
 * when the consumer stops early. The SDK ignores its `timeoutMs` whenever a signal is passed, and
 * without a signal it would impose its own 5-minute limit, so llmo always passes this one.
 */
class CallSignal {
  readonly signal: AbortSignal;
  readonly #own = new AbortController();
  readonly #timer: NodeJS.Timeout | undefined;

  constructor(callerSignal: AbortSignal | undefined, timeoutMs: number | undefined) {
    const timeout = new AbortController();
    this.signal = AbortSignal.any([this.#own.signal, timeout.signal, ...(callerSignal ? [callerSignal] : [])]);
    if (timeoutMs !== undefined) {
      // A DOMException named TimeoutError is what the SDK recognises as RequestTimeoutError.
      this.#timer = setTimeout(() => timeout.abort(new DOMException('the request timed out', 'TimeoutError')), timeoutMs);
    }
  }

  /**
   * The timeout bounds the wait for an answer to start, as the openai and anthropic SDKs do; once
   * a stream is flowing only the caller decides how long a long answer may take.
   */
  stopTimeout(): void {
    clearTimeout(this.#timer);
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#own.abort();
  }
}

function requestIdOf(response: Response | undefined): string | undefined {
  return response?.headers.get('mistral-correlation-id') ?? response?.headers.get('x-kong-request-id') ?? undefined;
}

/** Silences the SDK's request logging, which MISTRAL_DEBUG would otherwise send to stdout with the key. */
const silentLogger = { group() {}, groupEnd() {}, log() {} };

export class MistralModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly #settings: ProviderSettings;
  #client: MistralCore | undefined;

  constructor(settings: ProviderSettings) {
    this.provider = settings.provider;
    this.modelId = settings.modelId;
    this.#settings = settings;
  }

  async *stream(request: ModelRequest, options: CallOptions = {}): AsyncIterable<StreamPart> {
    const { body, warnings } = prepareMistralRequest(this.modelId, request);
    for (const message of warnings) yield { type: 'warning', warning: { type: 'other', provider: this.provider, message } };
    const callerSignal = options.signal;
    if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
    const { MistralCore, chatStream } = await loadStreamSdk();
    const call = new CallSignal(callerSignal, this.#settings.timeoutMs);
    const context = this.#errorContext();
    try {
      let events: AsyncIterable<CompletionEvent>;
      try {
        const [result, apiCall] = await chatStream(
          this.#clientFor(MistralCore),
          { ...body, stream: true },
          this.#requestOptions(call.signal),
        ).$inspect();
        context.requestId = requestIdOf(apiCall.response);
        if (!result.ok) throw result.error;
        events = result.value;
      } catch (error) {
        // An abort is the caller's own doing, not a vendor failure: rethrow it so they can tell.
        if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
        yield { type: 'error', error: mapMistralError(error, context) };
        return;
      }
      call.stopTimeout();
      yield* readStream(events, callerSignal, context);
    } finally {
      // Also tears the connection down when the consumer stops reading early.
      call.dispose();
    }
  }

  async generate(request: ModelRequest, options: CallOptions = {}): Promise<GenerateResult> {
    const { body, warnings } = prepareMistralRequest(this.modelId, request);
    const callerSignal = options.signal;
    if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
    const { MistralCore, chatComplete } = await loadCompleteSdk();
    const call = new CallSignal(callerSignal, this.#settings.timeoutMs);
    const context = this.#errorContext();
    try {
      const [result, apiCall] = await chatComplete(
        this.#clientFor(MistralCore),
        { ...body, stream: false },
        this.#requestOptions(call.signal),
      ).$inspect();
      context.requestId = requestIdOf(apiCall.response);
      if (!result.ok) throw result.error;
      const response = result.value;
      const choice = response.choices.find((candidate) => candidate.index === 0) ?? response.choices[0];
      const parts = extractMistralContent(choice?.message?.content);
      return {
        toolCalls: [],
        text: parts
          .filter((part) => part.type === 'text-delta')
          .map((part) => part.text)
          .join(''),
        reasoning: parts
          .filter((part) => part.type === 'reasoning-delta')
          .map((part) => part.text)
          .join(''),
        finishReason: mapMistralFinishReason(choice?.finishReason),
        usage: mapMistralUsage(response.usage),
        responseModel: response.model,
        requestId: context.requestId,
        warnings: warnings.map((message) => ({ type: 'other', provider: this.provider, message })),
      };
    } catch (error) {
      if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
      throw mapMistralError(error, context);
    } finally {
      call.dispose();
    }
  }

  /** One client per model, built on first use. */
  #clientFor(Core: typeof MistralCore): MistralCore {
    this.#client ??= new Core({
      // Never undefined: the SDK would then read MISTRAL_API_KEY itself, behind the vault's back.
      apiKey: this.#settings.apiKey ?? '',
      serverURL: this.#settings.baseURL,
      // Retries are llmo's (they must stop once a token has been shown), never the SDK's.
      retryConfig: { strategy: 'none' },
      debugLogger: silentLogger,
    });
    return this.#client;
  }

  #requestOptions(signal: AbortSignal): RequestOptions {
    // The SDK lays RequestOptions.headers over its own headers on every request.
    return this.#settings.headers ? { signal, headers: this.#settings.headers } : { signal };
  }

  #errorContext(): MistralErrorContext {
    return { provider: this.provider, apiKey: this.#settings.apiKey, timeoutMs: this.#settings.timeoutMs };
  }
}

/** The body of an open stream → content parts, then one finish or error part. */
async function* readStream(
  events: AsyncIterable<CompletionEvent>,
  callerSignal: AbortSignal | undefined,
  context: MistralErrorContext,
): AsyncIterable<StreamPart> {
  let finishReason: string | undefined;
  let usage: Usage | undefined;
  let responseModel: string | undefined;
  try {
    for await (const { data: chunk } of events) {
      responseModel ??= chunk.model;
      // Mistral sends usage once, with finish_reason, on the last content chunk.
      if (chunk.usage) usage = mapMistralUsage(chunk.usage);
      for (const choice of chunk.choices) {
        if (choice.index !== 0) continue;
        yield* extractMistralContent(choice.delta.content);
        if (choice.finishReason != null) finishReason = choice.finishReason;
      }
    }
  } catch (error) {
    if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
    yield { type: 'error', error: mapMistralStreamError(error, context) };
    return;
  }
  // Should the SDK ever end an aborted stream quietly, it is still the caller's abort.
  if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
  // `[DONE]` and a clean close look alike through the SDK; only finish_reason proves the answer ended.
  if (finishReason === undefined) {
    yield { type: 'error', error: streamCutOffError(context) };
    return;
  }
  yield { type: 'finish', finishReason: mapMistralFinishReason(finishReason), usage, responseModel, requestId: context.requestId };
}
