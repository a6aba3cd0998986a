import type { MistralCore } from '@mistralai/mistralai/core.js';
import type { BatchJob as MistralBatchJob } from '@mistralai/mistralai/models/components/batchjob.js';
import type { ChatCompletionResponse } from '@mistralai/mistralai/models/components/chatcompletionresponse.js';
import type { CompletionEvent } from '@mistralai/mistralai/models/components/completionevent.js';
import type { RequestOptions } from '@mistralai/mistralai/lib/sdks.js';
import {
  abortErrorFor,
  type BatchApi,
  type BatchJob,
  type BatchResultItem,
  KEYLESS_API_KEY,
  type CallOptions,
  type EmbedOptions,
  type EmbedResult,
  type GenerateResult,
  type LanguageModel,
  type ModelRequest,
  ProviderError,
  type ProviderSettings,
  type RemoteModel,
  type StreamPart,
  type ToolCall,
  type Usage,
  formatProviderMessage,
} from '../spec.js';
import { createToolNameCodec, type ToolNameCodec } from '../tool-names.js';
import { mapMistralBatch, mistralBatchFailure, type MistralWireBatchOutput } from './map-mistral-batch.js';
import { convertMistralToolCalls, MistralToolCallAssembler, ToolArgumentsError } from './assemble-mistral-tool-calls.js';
import { convertMistralModels } from './convert-mistral-models.js';
import { extractMistralContent } from './extract-mistral-content.js';
import { mapMistralFinishReason } from './map-mistral-finish-reason.js';
import { mapMistralUsage } from './map-mistral-usage.js';
import { mapMistralError, mapMistralStreamError, streamCutOffError, type MistralErrorContext } from './mistral-error.js';
import { prepareMistralRequest } from './prepare-mistral-request.js';

type Funcs = typeof import('@mistralai/mistralai/funcs/chatStream.js') &
  typeof import('@mistralai/mistralai/funcs/chatComplete.js') &
  typeof import('@mistralai/mistralai/funcs/embeddingsCreate.js') &
  typeof import('@mistralai/mistralai/funcs/modelsList.js');

/**
 * The SDK loads on a model's first request, never when the model is built, and only through its
 * standalone functions. The package entry evaluates the schemas of every endpoint (≈850 ms);
 * `core.js` plus one `funcs/*` module still imports the shared schema barrel when run unbundled
 * (≈570 ms), but esbuild tree-shakes that barrel down to the schemas each function needs (≈50 ms).
 */
let coreSdk: Promise<typeof MistralCore> | undefined;
let streamSdk: Promise<Funcs['chatStream']> | undefined;
let completeSdk: Promise<Funcs['chatComplete']> | undefined;
let embedSdk: Promise<Funcs['embeddingsCreate']> | undefined;
let modelsSdk: Promise<Funcs['modelsList']> | undefined;

function loadCore() {
  coreSdk ??= import('@mistralai/mistralai/core.js').then((core) => core.MistralCore);
  return coreSdk;
}

function loadStreamSdk() {
  streamSdk ??= import('@mistralai/mistralai/funcs/chatStream.js').then((funcs) => funcs.chatStream);
  return Promise.all([loadCore(), streamSdk]);
}

function loadCompleteSdk() {
  completeSdk ??= import('@mistralai/mistralai/funcs/chatComplete.js').then((funcs) => funcs.chatComplete);
  return Promise.all([loadCore(), completeSdk]);
}

function loadEmbedSdk() {
  embedSdk ??= import('@mistralai/mistralai/funcs/embeddingsCreate.js').then((funcs) => funcs.embeddingsCreate);
  return Promise.all([loadCore(), embedSdk]);
}

function loadModelsSdk() {
  modelsSdk ??= import('@mistralai/mistralai/funcs/modelsList.js').then((funcs) => funcs.modelsList);
  return Promise.all([loadCore(), modelsSdk]);
}

/**
 * One call's signal: the caller's, and our own abort for tearing the connection down when the
 * consumer stops early. Without a signal the SDK would impose its own 5-minute limit, so llmo
 * always passes this one; llmo's one silence timer is in the retry layer.
 */
class CallSignal {
  readonly signal: AbortSignal;
  readonly #own = new AbortController();

  constructor(callerSignal: AbortSignal | undefined) {
    this.signal = AbortSignal.any([this.#own.signal, ...(callerSignal ? [callerSignal] : [])]);
  }

  dispose(): void {
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
    const { body, warnings, toolNames } = prepareMistralRequest(this.#target(), request);
    for (const warning of warnings) yield { type: 'warning', warning };
    const callerSignal = options.signal;
    if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
    const [Core, chatStream] = await loadStreamSdk();
    const call = new CallSignal(callerSignal);
    const context = this.#errorContext();
    try {
      let events: AsyncIterable<CompletionEvent>;
      try {
        const [result, apiCall] = await chatStream(
          this.#clientFor(Core),
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
      yield* readStream(events, callerSignal, context, toolNames);
    } finally {
      // Also tears the connection down when the consumer stops reading early.
      call.dispose();
    }
  }

  async generate(request: ModelRequest, options: CallOptions = {}): Promise<GenerateResult> {
    const { body, warnings, toolNames } = prepareMistralRequest(this.#target(), request);
    const callerSignal = options.signal;
    if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
    const [Core, chatComplete] = await loadCompleteSdk();
    const call = new CallSignal(callerSignal);
    const context = this.#errorContext();
    let response: ChatCompletionResponse;
    try {
      const [result, apiCall] = await chatComplete(
        this.#clientFor(Core),
        { ...body, stream: false },
        this.#requestOptions(call.signal),
      ).$inspect();
      context.requestId = requestIdOf(apiCall.response);
      if (!result.ok) throw result.error;
      response = result.value;
    } catch (error) {
      if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
      throw mapMistralError(error, context);
    } finally {
      call.dispose();
    }
    return { ...readCompletion(response, context, toolNames), warnings };
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    const callerSignal = options.signal;
    if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
    const [Core, embeddingsCreate] = await loadEmbedSdk();
    const call = new CallSignal(callerSignal);
    const context = this.#errorContext();
    try {
      const request = {
        model: this.modelId,
        inputs: [...texts],
        ...(options.dimensions === undefined ? {} : { outputDimension: options.dimensions }),
      };
      const [result, apiCall] = await embeddingsCreate(this.#clientFor(Core), request, this.#requestOptions(call.signal)).$inspect();
      context.requestId = requestIdOf(apiCall.response);
      if (!result.ok) throw result.error;
      const response = result.value;
      // `index` gives each vector its input; the recorded replies keep input order anyway.
      const ordered = [...response.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
      return {
        embeddings: ordered.map((item) => item.embedding ?? []),
        usage: response.usage.promptTokens === undefined ? undefined : { inputTokens: response.usage.promptTokens },
        responseModel: response.model,
      };
    } catch (error) {
      if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
      throw mapMistralError(error, context);
    } finally {
      call.dispose();
    }
  }

  async listModels(options: CallOptions = {}): Promise<RemoteModel[]> {
    const callerSignal = options.signal;
    if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
    const [Core, modelsList] = await loadModelsSdk();
    const call = new CallSignal(callerSignal);
    const context = this.#errorContext();
    try {
      const [result, apiCall] = await modelsList(this.#clientFor(Core), {}, this.#requestOptions(call.signal)).$inspect();
      context.requestId = requestIdOf(apiCall.response);
      if (!result.ok) throw result.error;
      return convertMistralModels(result.value);
    } catch (error) {
      if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
      throw mapMistralError(error, context);
    } finally {
      call.dispose();
    }
  }

  /** Batch jobs with the requests inlined (no file upload), results read inline from the job. */
  readonly batch: BatchApi = {
    submit: (items, options = {}) =>
      this.#batchCall(options, async (core, signal) => {
        const [{ batchJobsCreate }, { chatCompletionRequestToJSON }] = await Promise.all([
          import('@mistralai/mistralai/funcs/batchJobsCreate.js'),
          import('@mistralai/mistralai/models/components/chatcompletionrequest.js'),
        ]);
        // Inline requests go in one JSON body.
        const requests: Array<{ customId: string; body: Record<string, unknown> }> = [];
        for await (const { customId, request } of items) {
          // The body goes out as it is: in the wire's snake_case, as the SDK would send it alone.
          const {
            model: _model,
            stream: _stream,
            ...body
          } = JSON.parse(chatCompletionRequestToJSON(prepareMistralRequest(this.#target(), request).body)) as Record<string, unknown>;
          requests.push({ customId, body });
        }
        return batchJobsCreate(core, { endpoint: '/v1/chat/completions', model: this.modelId, requests }, this.#requestOptions(signal));
      }),
    status: (id, options = {}) =>
      this.#batchCall(options, async (core, signal) => {
        const { batchJobsGet } = await import('@mistralai/mistralai/funcs/batchJobsGet.js');
        return batchJobsGet(core, { jobId: id }, this.#requestOptions(signal));
      }),
    cancel: (id, options = {}) =>
      this.#batchCall(options, async (core, signal) => {
        const { batchJobsCancel } = await import('@mistralai/mistralai/funcs/batchJobsCancel.js');
        return batchJobsCancel(core, { jobId: id }, this.#requestOptions(signal));
      }),
    results: (id, options = {}) => this.#batchResults(id, options),
  };

  async #batchJob(
    options: CallOptions,
    send: (core: MistralCore, signal: AbortSignal) => Promise<{ ok: true; value: MistralBatchJob } | { ok: false; error: unknown }>,
  ): Promise<MistralBatchJob> {
    const callerSignal = options.signal;
    if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
    const Core = await loadCore();
    const call = new CallSignal(callerSignal);
    try {
      const result = await send(this.#clientFor(Core), call.signal);
      if (!result.ok) throw result.error;
      return result.value;
    } catch (error) {
      if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
      throw mapMistralError(error, this.#errorContext());
    } finally {
      call.dispose();
    }
  }

  async #batchCall(
    options: CallOptions,
    send: (core: MistralCore, signal: AbortSignal) => Promise<{ ok: true; value: MistralBatchJob } | { ok: false; error: unknown }>,
  ): Promise<BatchJob> {
    return mapMistralBatch(await this.#batchJob(options, send));
  }

  async *#batchResults(id: string, options: CallOptions): AsyncIterable<BatchResultItem> {
    const job = await this.#batchJob(options, async (core, signal) => {
      const { batchJobsGet } = await import('@mistralai/mistralai/funcs/batchJobsGet.js');
      return batchJobsGet(core, { jobId: id, inline: true }, this.#requestOptions(signal));
    });
    const { chatCompletionResponseFromJSON } = await import('@mistralai/mistralai/models/components/chatcompletionresponse.js');
    const context = this.#errorContext();
    for (const output of (job.outputs ?? []) as MistralWireBatchOutput[]) {
      const customId = String(output.custom_id);
      const failure = mistralBatchFailure(output);
      if (failure !== undefined) {
        yield { customId, type: 'error', error: failure };
        continue;
      }
      const parsed = chatCompletionResponseFromJSON(JSON.stringify(output.response?.body));
      if (!parsed.ok) yield { customId, type: 'error', error: 'the answer is not a chat completion' };
      else yield { customId, type: 'ok', result: readCompletion(parsed.value, context, createToolNameCodec([])) };
    }
  }

  #target() {
    return { provider: this.provider, modelId: this.modelId, capabilities: this.#settings.capabilities };
  }

  /** Loads the SDK (core and chat), so that the first request's wait is the vendor's alone. */
  async load(): Promise<void> {
    const [Core] = await loadStreamSdk();
    this.#clientFor(Core);
  }

  /** One client per model, built on first use. */
  #clientFor(Core: typeof MistralCore): MistralCore {
    this.#client ??= new Core({
      // Never undefined: the SDK would then read MISTRAL_API_KEY itself, behind the vault's back.
      // A keyless endpoint gets the one placeholder every adapter sends.
      apiKey: this.#settings.apiKey ?? KEYLESS_API_KEY,
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
    return { provider: this.provider, apiKey: this.#settings.apiKey };
  }
}

/** A non-streamed reply → what `collectStream` would make of the same reply streamed. */
function readCompletion(
  response: ChatCompletionResponse,
  context: MistralErrorContext,
  toolNames: ToolNameCodec,
): Omit<GenerateResult, 'warnings'> {
  const choice = response.choices.find((candidate) => candidate.index === 0) ?? response.choices[0];
  const parts = extractMistralContent(choice?.message?.content);
  let toolCalls: ToolCall[];
  try {
    toolCalls = convertMistralToolCalls(choice?.message?.toolCalls, toolNames);
  } catch (error) {
    if (error instanceof ToolArgumentsError) throw toolArgumentsProviderError(error, context);
    throw error;
  }
  return {
    text: parts
      .filter((part) => part.type === 'text-delta')
      .map((part) => part.text)
      .join(''),
    reasoning: parts
      .filter((part) => part.type === 'reasoning-delta')
      .map((part) => part.text)
      .join(''),
    toolCalls,
    finishReason: mapMistralFinishReason(choice?.finishReason),
    usage: mapMistralUsage(response.usage),
    responseModel: response.model,
    requestId: context.requestId,
  };
}

/** The body of an open stream → content and tool-call parts, then one finish or error part. */
async function* readStream(
  events: AsyncIterable<CompletionEvent>,
  callerSignal: AbortSignal | undefined,
  context: MistralErrorContext,
  toolNames: ToolNameCodec,
): AsyncIterable<StreamPart> {
  let finishReason: string | undefined;
  let usage: Usage | undefined;
  let responseModel: string | undefined;
  const toolCalls = new MistralToolCallAssembler(toolNames);
  try {
    for await (const { data: chunk } of events) {
      responseModel ??= chunk.model;
      // Mistral sends usage once, with finish_reason, on the last content chunk.
      if (chunk.usage) usage = mapMistralUsage(chunk.usage);
      for (const choice of chunk.choices) {
        if (choice.index !== 0) continue;
        yield* extractMistralContent(choice.delta.content);
        for (const toolCall of choice.delta.toolCalls ?? []) yield* toolCalls.push(toolCall);
        if (choice.finishReason != null) finishReason = choice.finishReason;
      }
    }
  } catch (error) {
    if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
    const mapped = error instanceof ToolArgumentsError ? toolArgumentsProviderError(error, context) : mapMistralStreamError(error, context);
    yield { type: 'error', error: mapped };
    return;
  }
  // Should the SDK ever end an aborted stream quietly, it is still the caller's abort.
  if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
  // `[DONE]` and a clean close look alike through the SDK; only finish_reason proves the answer ended.
  if (finishReason === undefined) {
    yield { type: 'error', error: streamCutOffError(context) };
    return;
  }
  let lastCall: StreamPart[];
  try {
    lastCall = toolCalls.finish();
  } catch (error) {
    if (!(error instanceof ToolArgumentsError)) throw error;
    yield { type: 'error', error: toolArgumentsProviderError(error, context) };
    return;
  }
  yield* lastCall;
  yield { type: 'finish', finishReason: mapMistralFinishReason(finishReason), usage, responseModel, requestId: context.requestId };
}

/**
 * Arguments that are not a JSON object: the model answered, but nothing can run on it. Not
 * retryable by default: the same prompt tends to bring the same arguments.
 */
function toolArgumentsProviderError(error: ToolArgumentsError, context: MistralErrorContext): ProviderError {
  const { provider, requestId, apiKey } = context;
  return new ProviderError(
    formatProviderMessage({ provider, what: `unreadable tool call: ${error.message}`, said: error.argumentsText, requestId, apiKey }),
    { provider, requestId },
  );
}
