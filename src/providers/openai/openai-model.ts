import type OpenAI from 'openai';
import { APIError } from 'openai/core/error';
import {
  abortErrorFor,
  KEYLESS_API_KEY,
  formatProviderMessage,
  ProviderUnavailableError,
  type BatchApi,
  type CallOptions,
  type EmbedOptions,
  type EmbedResult,
  type GenerateResult,
  type LanguageModel,
  type ModelRequest,
  type ProviderSettings,
  type RemoteModel,
  type StreamPart,
} from '../spec.js';
import { mapOpenAICompletion, type OpenAIWireCompletion } from './map-openai-completion.js';
import { mapOpenAIEmbeddings, type OpenAIWireEmbeddings } from './map-openai-embeddings.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { mapOpenAIModel } from './map-openai-model-list.js';
import { createOpenAIBatch } from './openai-batch.js';
import {
  createOpenAIStreamState,
  finishOpenAIToolCalls,
  mapOpenAIStreamChunk,
  type OpenAIStreamState,
  type OpenAIWireChunk,
} from './map-openai-stream-chunk.js';
import { InvalidToolArgumentsError } from './map-openai-tool-call.js';
import { normalizeOpenAIErrorBody, requestIdFrom, streamCutError, toProviderError, type OpenAIErrorContext } from './openai-error.js';
import { prepareOpenAIRequest, type OpenAIRequestBody } from './prepare-openai-request.js';

const OPENAI_BASE_URL = 'https://api.openai.com/v1';
const OPENAI_HOST = 'api.openai.com';
/** The longest delay setTimeout takes: "no timeout" for the SDK, which always sets one. */
const NO_TIMEOUT_MS = 2 ** 31 - 1;

/** The SDK costs ~100 ms to import, so it loads with the first request, not with llmo. */
async function createClient(settings: ProviderSettings): Promise<OpenAI> {
  const { OpenAI } = await import('openai');

  class Client extends OpenAI {
    // Compatible servers send error bodies the SDK cannot read; see normalizeOpenAIErrorBody.
    protected override makeStatusError(status: number, error: object, message: string | undefined, headers: Headers) {
      return super.makeStatusError(status, normalizeOpenAIErrorBody(error) as object, message, headers);
    }
  }

  // OpenAI's own identifiers belong to requests that go to OpenAI, whatever the provider is called.
  const isOpenAI = hostOf(settings.baseURL ?? OPENAI_BASE_URL) === OPENAI_HOST;
  return new Client({
    // The SDK refuses to start without a key; a keyless endpoint (Ollama, LM Studio) gets the one
    // placeholder every adapter sends, and ignores it.
    apiKey: settings.apiKey || KEYLESS_API_KEY,
    // Left undefined, these fall back to OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID and
    // OPENAI_ADMIN_KEY from the environment, and a DeepSeek or Ollama request would go to the
    // wrong place or carry OpenAI's identifiers. The registry resolves base URLs itself.
    baseURL: settings.baseURL ?? OPENAI_BASE_URL,
    organization: isOpenAI ? undefined : null,
    project: isOpenAI ? undefined : null,
    adminAPIKey: null,
    // llmo retries with its own backoff (DESIGN.md); SDK retries would multiply with those.
    maxRetries: 0,
    // Timing is llmo's: its one silence timer is in the retry layer.
    timeout: NO_TIMEOUT_MS,
    ...(settings.headers ? { defaultHeaders: settings.headers } : {}),
    // At its default level the SDK writes warnings to the console, which would tear the Ink UI.
    // Someone debugging can still set OPENAI_LOG (the SDK redacts the key in its logs).
    ...(process.env.OPENAI_LOG ? {} : { logLevel: 'off' as const }),
  });
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/**
 * Arguments that are not a JSON object cannot be run; another attempt may well produce good ones,
 * so the error is retryable like any other vendor fault.
 */
function invalidToolArgumentsError(error: InvalidToolArgumentsError, context: OpenAIErrorContext, requestId: string | undefined) {
  const { provider, apiKey } = context;
  const what = 'the model sent tool-call arguments that are not a JSON object';
  return new ProviderUnavailableError(formatProviderMessage({ provider, what, said: error.message, requestId, apiKey }), {
    provider,
    requestId,
  });
}

/** The parts that end a stream nobody aborted: its tool calls and finish, or why there is none. */
function endOfStream(
  state: OpenAIStreamState,
  failure: { error: unknown } | undefined,
  context: OpenAIErrorContext,
  requestId: string | undefined,
): StreamPart[] {
  if (failure) {
    const { error } = failure;
    // An `{"error":…}` frame arrives as an APIError; anything else is the transport failing.
    if (error instanceof APIError) return [{ type: 'error', error: toProviderError(error, context) }];
    if (error instanceof InvalidToolArgumentsError) return [{ type: 'error', error: invalidToolArgumentsError(error, context, requestId) }];
    return [{ type: 'error', error: streamCutError(error, context, requestId) }];
  }
  if (state.finishReason === undefined) {
    return [{ type: 'error', error: streamCutError('it ended without a finish reason', context, requestId) }];
  }
  let toolCalls: ReturnType<typeof finishOpenAIToolCalls>;
  try {
    toolCalls = finishOpenAIToolCalls(state);
  } catch (error) {
    if (error instanceof InvalidToolArgumentsError) return [{ type: 'error', error: invalidToolArgumentsError(error, context, requestId) }];
    throw error;
  }
  return [
    ...toolCalls.map((toolCall): StreamPart => ({ type: 'tool-call', toolCall })),
    {
      type: 'finish',
      finishReason: mapOpenAIFinishReason(state.finishReason, state.toolCalls.size > 0),
      usage: state.usage,
      responseModel: state.responseModel,
      requestId,
    },
  ];
}

/** One model behind the OpenAI chat-completions protocol: OpenAI, DeepSeek or a compatible server. */
export class OpenAIChatModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly #settings: ProviderSettings;
  #client: Promise<OpenAI> | undefined;
  readonly batch?: BatchApi;

  constructor(settings: ProviderSettings) {
    this.provider = settings.provider;
    this.modelId = settings.modelId;
    this.#settings = settings;
    // Compatible servers (DeepSeek, Ollama) have no Batches API: their models.yaml capabilities,
    // once given, leave `batch` out.
    if (settings.capabilities === undefined || settings.capabilities.has('batch'))
      this.batch = createOpenAIBatch(
        settings,
        () => this.#getClient(),
        () => this.#errorContext(),
      );
  }

  /** Loads the SDK and builds the client, so that the first request's wait is the vendor's alone. */
  async load(): Promise<void> {
    await this.#getClient();
  }

  #getClient(): Promise<OpenAI> {
    this.#client ??= createClient(this.#settings);
    return this.#client;
  }

  #errorContext(): OpenAIErrorContext {
    const { provider, apiKey, baseURL } = this.#settings;
    return { provider, apiKey, baseURL };
  }

  async #openStream(body: OpenAIRequestBody, signal: AbortSignal) {
    const client = await this.#getClient();
    const { data, response } = await client.chat.completions
      .create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal })
      .withResponse();
    return { chunks: data, requestId: requestIdFrom(response.headers) };
  }

  /**
   * Streams one completion. Every failure becomes a single `error` part that ends the stream,
   * with one exception: when the caller's signal aborts the request, the iterator throws a
   * DOMException named 'AbortError'. The caller asked for the stop, and must be able to tell it
   * from a failure (which the retry layer would retry). The SDK itself ends an aborted stream
   * quietly, which would look like a stream cut off.
   */
  async *stream(request: ModelRequest, options: CallOptions = {}): AsyncGenerator<StreamPart> {
    const { signal } = options;
    const { body, warnings, toolNames } = prepareOpenAIRequest(request, this.#settings);
    for (const warning of warnings) yield { type: 'warning', warning };
    if (signal?.aborted) throw abortErrorFor(signal);

    const context = this.#errorContext();
    // Our own controller, so that a consumer who stops reading early also ends the request.
    const controller = new AbortController();
    const forwardAbort = () => controller.abort();
    signal?.addEventListener('abort', forwardAbort, { once: true });

    try {
      let opened: { chunks: AsyncIterable<OpenAIWireChunk>; requestId: string | undefined };
      try {
        opened = await this.#openStream(body, controller.signal);
      } catch (error) {
        if (signal?.aborted) throw abortErrorFor(signal);
        yield { type: 'error', error: toProviderError(error, context) };
        return;
      }

      // No stall timer of our own: callModel gives up on a stream that goes quiet (its timeout
      // restarts on every part), and a second timer here would only race it with other words.
      const state = createOpenAIStreamState(toolNames);
      let failure: { error: unknown } | undefined;
      try {
        for await (const chunk of opened.chunks) yield* mapOpenAIStreamChunk(chunk, state);
      } catch (error) {
        failure = { error };
      }

      if (signal?.aborted) throw abortErrorFor(signal);
      yield* endOfStream(state, failure, context, opened.requestId);
    } finally {
      controller.abort();
      signal?.removeEventListener('abort', forwardAbort);
    }
  }

  /**
   * One completion from the non-streaming endpoint. Throws a ProviderError, or, when the caller's
   * signal aborted the request, a DOMException named 'AbortError' (see stream()).
   */
  async generate(request: ModelRequest, options: CallOptions = {}): Promise<GenerateResult> {
    const { signal } = options;
    const { body, warnings, toolNames } = prepareOpenAIRequest(request, this.#settings);
    if (signal?.aborted) throw abortErrorFor(signal);
    const context = this.#errorContext();
    let requestId: string | undefined;
    try {
      const client = await this.#getClient();
      const { data, response } = await client.chat.completions.create({ ...body, stream: false }, signal ? { signal } : {}).withResponse();
      requestId = requestIdFrom(response.headers);
      const completion = data as OpenAIWireCompletion;
      const result = mapOpenAICompletion(completion, toolNames);
      if (result) return { ...result, requestId, warnings };
      if (completion.error) throw new APIError(undefined, completion.error, undefined, response.headers);
      throw new ProviderUnavailableError(
        formatProviderMessage({ provider: this.provider, what: 'the completion had no choices', requestId }),
        {
          provider: this.provider,
          requestId,
        },
      );
    } catch (error) {
      if (signal?.aborted) throw abortErrorFor(signal);
      if (error instanceof InvalidToolArgumentsError) throw invalidToolArgumentsError(error, context, requestId);
      throw toProviderError(error, context);
    }
  }

  /**
   * Embeds texts through `/embeddings`. One text goes out as a string, several as a list, as the
   * recordings send them. The format is asked for explicitly, so that the SDK hands the body back
   * untouched and a server that ignores the format (sending floats) is read as well.
   */
  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    const { signal, dimensions } = options;
    if (signal?.aborted) throw abortErrorFor(signal);
    // The API answers an empty input with a 400; nothing to embed is no vectors.
    if (texts.length === 0) return { embeddings: [], usage: undefined };
    try {
      const client = await this.#getClient();
      const input = texts.length === 1 ? (texts[0] as string) : [...texts];
      const response = await client.embeddings.create(
        { model: this.modelId, input, encoding_format: 'base64', ...(dimensions !== undefined ? { dimensions } : {}) },
        signal ? { signal } : {},
      );
      return mapOpenAIEmbeddings(response as unknown as OpenAIWireEmbeddings);
    } catch (error) {
      if (signal?.aborted) throw abortErrorFor(signal);
      throw toProviderError(error, this.#errorContext());
    }
  }

  /** The models `GET /models` lists for this key (every page of it). */
  async listModels(options: CallOptions = {}): Promise<RemoteModel[]> {
    const { signal } = options;
    if (signal?.aborted) throw abortErrorFor(signal);
    try {
      const client = await this.#getClient();
      const models: RemoteModel[] = [];
      for await (const model of client.models.list(signal ? { signal } : {})) models.push(mapOpenAIModel(model));
      return models;
    } catch (error) {
      if (signal?.aborted) throw abortErrorFor(signal);
      throw toProviderError(error, this.#errorContext());
    }
  }
}
