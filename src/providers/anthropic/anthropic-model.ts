import type Anthropic from '@anthropic-ai/sdk';
import { APIError } from '@anthropic-ai/sdk/core/error';
import {
  abortErrorFor,
  type BatchApi,
  type BatchRequestItem,
  type BatchResultItem,
  type CallOptions,
  type GenerateResult,
  type LanguageModel,
  type ModelRequest,
  KEYLESS_API_KEY,
  type ProviderError,
  type ProviderSettings,
  type RemoteModel,
  type StreamPart,
  type ToolCall,
} from '../spec.js';
import { mapAnthropicError, streamCutOffError } from './anthropic-error.js';
import { anthropicBatchFailure, type AnthropicWireBatch, mapAnthropicBatch } from './map-anthropic-batch.js';
import { type AnthropicThinkingBlock, thinkingMetadata } from './anthropic-thinking-metadata.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';
import { initialAnthropicStreamState, isObject, mapAnthropicStreamEvent, outputJson } from './map-anthropic-stream-event.js';
import { mapAnthropicUsage } from './map-anthropic-usage.js';
import { type PreparedAnthropicRequest, prepareAnthropicRequest } from './prepare-anthropic-request.js';

/**
 * The longest delay one Node timer can hold (larger ones fire after 1 ms). Used as "no timeout":
 * the SDK otherwise applies its own 10 minutes, and refuses non-streamed requests whose
 * max_tokens it guesses would take longer than that.
 */
const NO_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * An Anthropic Messages model. The SDK (≈180 ms to import) is loaded on the first request, so
 * building a model — to list, resolve or dry-run — costs nothing.
 *
 * Streams use the raw event stream (`messages.create({ stream: true })`) rather than the
 * MessageStream helper: we map each event to a part as it arrives, so the helper's message
 * accumulation, partial-JSON parsing and event emitter would be work thrown away, and its
 * error handling would sit between the wire and our own.
 */
export class AnthropicModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly #settings: ProviderSettings;
  #clientPromise: Promise<Anthropic> | undefined;

  constructor(settings: ProviderSettings) {
    this.provider = settings.provider;
    this.modelId = settings.modelId;
    this.#settings = settings;
  }

  /** Message Batches: every request's params built as a single request's would be. */
  readonly batch: BatchApi = {
    submit: (items, options = {}) =>
      this.#batchCall(options, (client) =>
        // Message Batches take the requests inline, in one JSON body: written as the lines are
        // read (the path batches.create posts to), so 100,000 requests are never held at once.
        client.post('/v1/messages/batches', {
          body: batchBody(items, (request) => this.#prepare(request).params),
          headers: { 'content-type': 'application/json' },
          signal: options.signal,
        }),
      ),
    status: (id, options = {}) =>
      this.#batchCall(options, (client) => client.messages.batches.retrieve(id, {}, { signal: options.signal })),
    cancel: (id, options = {}) => this.#batchCall(options, (client) => client.messages.batches.cancel(id, {}, { signal: options.signal })),
    results: (id, options = {}) => this.#batchResults(id, options),
  };

  async #batchCall(options: CallOptions, work: (client: Anthropic) => Promise<unknown>) {
    try {
      return mapAnthropicBatch((await work(await this.#getClient())) as AnthropicWireBatch);
    } catch (error) {
      throwIfAborted(options.signal);
      throw this.#toProviderError(error);
    }
  }

  async *#batchResults(id: string, options: CallOptions): AsyncIterable<BatchResultItem> {
    // Batch lines carry no tools, so the plain mapping of a message applies to every result.
    const prepared = this.#prepare({ messages: [{ role: 'user', content: '' }] });
    let lines: AsyncIterable<Anthropic.Messages.Batches.MessageBatchIndividualResponse>;
    try {
      lines = await (await this.#getClient()).messages.batches.results(id, {}, { signal: options.signal });
    } catch (error) {
      throwIfAborted(options.signal);
      throw this.#toProviderError(error);
    }
    for await (const line of lines) {
      const { result } = line;
      if (result.type === 'succeeded')
        yield { customId: line.custom_id, type: 'ok', result: { ...this.#mapMessage(result.message, prepared), requestId: undefined } };
      else yield { customId: line.custom_id, type: 'error', error: anthropicBatchFailure(result) };
    }
  }

  async *stream(request: ModelRequest, options: CallOptions = {}): AsyncIterable<StreamPart> {
    const { signal } = options;
    const prepared = this.#prepare(request);
    const { params, warnings, toolNames, outputToolName, outputValueKey } = prepared;
    for (const warning of warnings) yield { type: 'warning', warning };

    let requestId: string | undefined;
    let events: AsyncIterable<Anthropic.RawMessageStreamEvent>;
    try {
      const client = await this.#getClient();
      const response = await client.messages.create({ ...params, stream: true }, { signal }).withResponse();
      requestId = response.request_id ?? undefined;
      events = response.data;
    } catch (error) {
      throwIfAborted(signal);
      yield { type: 'error', error: this.#toProviderError(error) };
      return;
    }

    let state = initialAnthropicStreamState;
    try {
      const context = { provider: this.provider, toolNames, outputToolName, outputValueKey };
      for await (const event of events) {
        const mapped = mapAnthropicStreamEvent(state, event, context);
        state = mapped.state;
        for (const part of mapped.parts) {
          yield part;
          if (part.type === 'error') return;
        }
      }
    } catch (error) {
      // An abort is rethrown, not turned into an error part, so that the caller who aborted can
      // tell "I stopped it" from "it failed" (and nobody retries or reports a stopped request).
      throwIfAborted(signal);
      // An `event: error` inside the stream arrives as an APIError; anything else (the socket
      // closing, a frame that is not JSON) means the response broke off.
      const failure =
        error instanceof APIError
          ? this.#toProviderError(error, { requestId, midStream: true })
          : streamCutOffError(this.provider, requestId, error, this.#settings.apiKey);
      yield { type: 'error', error: failure };
      return;
    }

    // The SDK's stream ends quietly, without throwing, when its request is aborted.
    throwIfAborted(signal);
    if (!state.completed) {
      yield { type: 'error', error: streamCutOffError(this.provider, requestId) };
      return;
    }
    yield {
      type: 'finish',
      finishReason: mapAnthropicFinishReason(state.stopReason, state.toolCallCount),
      usage: mapAnthropicUsage(state.usage),
      responseModel: state.responseModel,
      requestId,
    };
  }

  async generate(request: ModelRequest, options: CallOptions = {}): Promise<GenerateResult> {
    const { signal } = options;
    const prepared = this.#prepare(request);
    let response: { data: Anthropic.Message; request_id: string | null | undefined };
    try {
      const client = await this.#getClient();
      response = await client.messages.create({ ...prepared.params, stream: false }, { signal }).withResponse();
    } catch (error) {
      throwIfAborted(signal);
      throw this.#toProviderError(error);
    }
    return { ...this.#mapMessage(response.data, prepared), requestId: response.request_id ?? undefined, warnings: prepared.warnings };
  }

  async listModels(options: CallOptions = {}): Promise<RemoteModel[]> {
    const { signal } = options;
    try {
      const client = await this.#getClient();
      const models: RemoteModel[] = [];
      // Iterating the page follows `has_more` / `last_id` through every page.
      for await (const model of client.models.list({}, { signal })) {
        models.push({
          id: model.id,
          displayName: model.display_name,
          createdAt: model.created_at,
          ...(typeof model.max_input_tokens === 'number' ? { contextWindow: model.max_input_tokens } : {}),
          ...(typeof model.max_tokens === 'number' ? { maxOutputTokens: model.max_tokens } : {}),
        });
      }
      return models;
    } catch (error) {
      throwIfAborted(signal);
      throw this.#toProviderError(error);
    }
  }

  #prepare(request: ModelRequest): PreparedAnthropicRequest {
    const { provider, modelId, capabilities } = this.#settings;
    return prepareAnthropicRequest({ provider, modelId, capabilities }, request);
  }

  /** A non-streamed message as the parts of a result; the same outcome the stream's mapping gives. */
  #mapMessage(message: Anthropic.Message, { toolNames, outputToolName, outputValueKey }: PreparedAnthropicRequest) {
    const text: string[] = [];
    const reasoning: string[] = [];
    const toolCalls: ToolCall[] = [];
    const thinkingBlocks: AnthropicThinkingBlock[] = [];
    for (const block of message.content) {
      if (block.type === 'text') text.push(block.text);
      else if (block.type === 'thinking') {
        reasoning.push(block.thinking);
        thinkingBlocks.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
      } else if (block.type === 'redacted_thinking') thinkingBlocks.push({ type: 'redacted_thinking', data: block.data });
      else if (block.type === 'tool_use') {
        const input = isObject(block.input) ? block.input : {};
        if (block.name === outputToolName) text.push(outputJson(input, outputValueKey));
        else {
          const metadata = thinkingMetadata(toolCalls.length === 0 ? thinkingBlocks : []);
          toolCalls.push({ id: block.id, name: toolNames.decode(block.name), arguments: input, ...metadata });
        }
      }
    }
    return {
      text: text.join(''),
      reasoning: reasoning.join(''),
      toolCalls,
      finishReason: mapAnthropicFinishReason(message.stop_reason, toolCalls.length),
      usage: mapAnthropicUsage(message.usage),
      responseModel: message.model,
    };
  }

  /** Loads the SDK and builds the client, so that the first request's wait is the vendor's alone. */
  async load(): Promise<void> {
    await this.#getClient();
  }

  /** The SDK client, created on first use. */
  #getClient(): Promise<Anthropic> {
    this.#clientPromise ??= this.#createClient();
    return this.#clientPromise;
  }

  async #createClient(): Promise<Anthropic> {
    const { apiKey, baseURL, headers } = this.#settings;
    const { default: AnthropicClient } = await import('@anthropic-ai/sdk');
    return new AnthropicClient({
      // Never undefined: the SDK would look for a key itself (ANTHROPIC_API_KEY, credential files),
      // behind the back of llmo's vault. A keyless endpoint gets the one placeholder every adapter sends.
      apiKey: apiKey ?? KEYLESS_API_KEY,
      baseURL,
      // Retries are llmo's own (with backoff that honours retry-after), never the SDK's as well.
      maxRetries: 0,
      // Timing is llmo's too: its one silence timer is in the retry layer.
      timeout: NO_TIMEOUT_MS,
      defaultHeaders: headers,
    });
  }

  #toProviderError(error: unknown, context: { requestId?: string | undefined; midStream?: boolean | undefined } = {}): ProviderError {
    const { provider, apiKey } = this.#settings;
    return mapAnthropicError(error, { provider, apiKey, ...context });
  }
}

/**
 * Throws an error named AbortError when the caller's signal has fired, whatever the SDK made of
 * the abort (`APIUserAbortError`, a quiet end of the stream) and whatever reason the caller gave.
 */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortErrorFor(signal);
}

/** `{"requests": [...]}`, a chunk of about 64 KiB at a time. */
async function* batchBody(items: AsyncIterable<BatchRequestItem>, paramsOf: (request: ModelRequest) => unknown): AsyncGenerator<Buffer> {
  let chunk = '{"requests":[';
  let first = true;
  for await (const { customId, request } of items) {
    chunk += `${first ? '' : ','}${JSON.stringify({ custom_id: customId, params: paramsOf(request) })}`;
    first = false;
    if (chunk.length >= 65_536) {
      yield Buffer.from(chunk);
      chunk = '';
    }
  }
  yield Buffer.from(`${chunk}]}`);
}
