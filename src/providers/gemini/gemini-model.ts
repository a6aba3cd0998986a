import type { GenerateContentConfig, GenerateContentParameters, GenerateContentResponse, InlinedRequest } from '@google/genai';
import type { GoogleGenAI } from '@google/genai/web';
import {
  abortErrorFor,
  KEYLESS_API_KEY,
  type BatchApi,
  type BatchResultItem,
  type CallOptions,
  type EmbedOptions,
  type EmbedResult,
  type FinishReason,
  type GenerateResult,
  type LanguageModel,
  type ModelRequest,
  type ProviderSettings,
  type ProviderWarning,
  type RemoteModel,
  type StreamPart,
  type ToolCall,
} from '../spec.js';
import { createToolNameCodec, type ToolNameCodec } from '../tool-names.js';
import { convertToGeminiContents } from './convert-to-gemini-contents.js';
import { mapGeminiError, streamCutOffError } from './gemini-error.js';
import { mapGeminiBatch } from './map-gemini-batch.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';
import { mapGeminiModel } from './map-gemini-model.js';
import { geminiToolCallIds, mapGeminiPart } from './map-gemini-part.js';
import { mapGeminiUsage } from './map-gemini-usage.js';
import { prepareGeminiConfig } from './prepare-gemini-config.js';
import { prepareGeminiTools } from './prepare-gemini-tools.js';

type GenAIModule = typeof import('@google/genai/web');

/**
 * The SDK costs ~100 ms to import, so it loads on the first request rather than when a model is
 * built: building one (to list, validate or dry-run) stays cheap.
 * Its web build, not the Node one: the same client over fetch, without google-auth-library, gaxios
 * and ws (Vertex credentials and the Live API, neither of which llmo uses). It halves the code
 * loaded (0.87 MB instead of 1.66 MB) and saves 20–40 ms per run.
 */
let sdk: Promise<GenAIModule> | undefined;
function loadSdk(): Promise<GenAIModule> {
  sdk ??= import('@google/genai/web');
  return sdk;
}

/** A Gemini model spoken to through @google/genai (Gemini API, not Vertex). */
export class GeminiModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly #settings: ProviderSettings;
  #client: Promise<GoogleGenAI> | undefined;

  constructor(settings: ProviderSettings) {
    this.provider = settings.provider;
    this.modelId = settings.modelId;
    this.#settings = settings;
  }

  async *stream(request: ModelRequest, options: CallOptions = {}): AsyncIterable<StreamPart> {
    const { signal } = options;
    const { parameters, warnings, codec } = this.#prepare(request);
    for (const warning of warnings) yield { type: 'warning', warning };

    let started = false;
    let last: GenerateContentResponse | undefined;
    let finishReason: string | undefined;
    let nextToolCallId: (() => string) | undefined;
    let hasToolCalls = false;
    const call = signalForOneCall(signal);
    let settled = false;
    try {
      const client = await this.#getClient();
      const chunks = await client.models.generateContentStream(withSignal(parameters, call.signal));
      for await (const chunk of chunks) {
        started = true;
        last = chunk;
        const candidate = chunk.candidates?.[0];
        finishReason = candidate?.finishReason ?? finishReason;
        nextToolCallId ??= geminiToolCallIds(chunk.responseId);
        for (const part of candidate?.content?.parts ?? []) {
          const outcome = mapGeminiPart(part, nextToolCallId, codec);
          if (outcome?.type === 'tool-call') {
            hasToolCalls = true;
            yield* toolCallParts(outcome.toolCall);
          } else if (outcome) yield outcome;
        }
      }
      settled = true;
    } catch (error) {
      settled = true;
      // An abort the caller asked for is not a provider failure: throw an AbortError so the one
      // who aborted can tell the two apart (and nobody retries or reports it).
      if (signal?.aborted) throw abortErrorFor(signal);
      yield { type: 'error', error: mapGeminiError(error, this.#errorContext(started)) };
      return;
    } finally {
      // Not settled means the consumer stopped iterating mid-response.
      if (!settled) call.cancel();
      call.release();
    }
    // Should the SDK ever end an aborted stream quietly, it is still the caller's abort.
    if (signal?.aborted) throw abortErrorFor(signal);

    const blockReason = last?.promptFeedback?.blockReason;
    if (blockReason !== undefined) {
      // A blocked prompt gets promptFeedback and no candidate, so no finishReason either.
      yield { type: 'warning', warning: { type: 'other', provider: this.provider, message: `blocked the prompt (${blockReason})` } };
    } else if (finishReason === undefined) {
      yield { type: 'error', error: streamCutOffError(this.provider, 'it ended without a finish reason') };
      return;
    }
    yield {
      type: 'finish',
      finishReason: blockReason !== undefined ? 'content-filter' : mapGeminiFinishReason(finishReason, hasToolCalls),
      // Usage is cumulative on every chunk, so the last chunk's is the whole response's.
      usage: mapGeminiUsage(last?.usageMetadata),
      responseModel: last?.modelVersion,
      requestId: last?.responseId,
    };
  }

  async generate(request: ModelRequest, options: CallOptions = {}): Promise<GenerateResult> {
    const { signal } = options;
    const { parameters, warnings, codec } = this.#prepare(request);

    let response: GenerateContentResponse;
    const call = signalForOneCall(signal);
    try {
      const client = await this.#getClient();
      response = await client.models.generateContent(withSignal(parameters, call.signal));
    } catch (error) {
      // As in stream(): the caller's own abort is an AbortError, not a provider failure.
      if (signal?.aborted) throw abortErrorFor(signal);
      throw mapGeminiError(error, this.#errorContext(false));
    } finally {
      call.release();
    }

    return { ...this.#mapResponse(response, codec, warnings), requestId: response.responseId, warnings };
  }

  /** A whole response as a result (generate(), and each answer of a batch). */
  #mapResponse(response: GenerateContentResponse, codec: ToolNameCodec, warnings: ProviderWarning[]) {
    const candidate = response.candidates?.[0];
    const text: string[] = [];
    const reasoning: string[] = [];
    const toolCalls: ToolCall[] = [];
    const nextToolCallId = geminiToolCallIds(response.responseId);
    for (const part of candidate?.content?.parts ?? []) {
      const outcome = mapGeminiPart(part, nextToolCallId, codec);
      if (outcome?.type === 'text-delta') text.push(outcome.text);
      if (outcome?.type === 'reasoning-delta') reasoning.push(outcome.text);
      if (outcome?.type === 'tool-call') toolCalls.push(outcome.toolCall);
    }
    let finishReason: FinishReason = mapGeminiFinishReason(candidate?.finishReason, toolCalls.length > 0);
    const blockReason = response.promptFeedback?.blockReason;
    if (blockReason !== undefined) {
      warnings.push({ type: 'other', provider: this.provider, message: `blocked the prompt (${blockReason})` });
      finishReason = 'content-filter';
    }
    return {
      text: text.join(''),
      reasoning: reasoning.join(''),
      toolCalls,
      finishReason,
      usage: mapGeminiUsage(response.usageMetadata),
      responseModel: response.modelVersion,
    };
  }

  /** Batch mode (`batchGenerateContent`) with inlined requests: the answers come back inline too. */
  readonly batch: BatchApi = {
    submit: (items, options = {}) =>
      this.#call(options.signal, async (client) => {
        // Inlined requests go in one JSON body.
        const src: InlinedRequest[] = [];
        for await (const { customId, request } of items) {
          const { parameters } = this.#prepare(request);
          src.push({
            contents: parameters.contents,
            ...(parameters.config ? { config: parameters.config } : {}),
            metadata: { custom_id: customId },
          });
        }
        return mapGeminiBatch(await client.batches.create({ model: this.modelId, src, config: { displayName: `llmo-${Date.now()}` } }));
      }),
    status: (id, options = {}) => this.#call(options.signal, async (client) => mapGeminiBatch(await client.batches.get({ name: id }))),
    cancel: (id, options = {}) =>
      this.#call(options.signal, async (client) => {
        await client.batches.cancel({ name: id });
        return mapGeminiBatch(await client.batches.get({ name: id }));
      }),
    results: (id, options = {}) => this.#batchResults(id, options),
  };

  async *#batchResults(id: string, options: CallOptions): AsyncIterable<BatchResultItem> {
    const job = await this.#call(options.signal, (client) => client.batches.get({ name: id }));
    const codec = createToolNameCodec([]);
    for (const [index, answer] of (job.dest?.inlinedResponses ?? []).entries()) {
      // Answers come in the order of the requests; metadata carries the id back as well.
      const customId = answer.metadata?.custom_id ?? String(index);
      if (answer.response)
        yield { customId, type: 'ok', result: { ...this.#mapResponse(answer.response, codec, []), requestId: answer.response.responseId } };
      else yield { customId, type: 'error', error: answer.error?.message ?? 'no answer' };
    }
  }

  /** Embeds through `batchEmbedContents` (what the SDK calls for a list of texts on the Gemini API). */
  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    const { signal, dimensions } = options;
    const response = await this.#call(signal, (client, callSignal) =>
      client.models.embedContent({
        model: this.modelId,
        // Contents rather than strings: the SDK would add `role: user`, which embeddings don't take.
        contents: texts.map((text) => ({ parts: [{ text }] })),
        config: { abortSignal: callSignal, ...(dimensions === undefined ? {} : { outputDimensionality: dimensions }) },
      }),
    );
    // batchEmbedContents reports no token counts.
    return {
      embeddings: (response.embeddings ?? []).map((embedding) => embedding.values ?? []),
      usage: undefined,
      responseModel: this.modelId,
    };
  }

  /** Every model the key may use, all pages, ids without the `models/` prefix. */
  async listModels(options: CallOptions = {}): Promise<RemoteModel[]> {
    return this.#call(options.signal, async (client, callSignal) => {
      const models: RemoteModel[] = [];
      for await (const model of await client.models.list({ config: { abortSignal: callSignal } })) models.push(mapGeminiModel(model));
      return models;
    });
  }

  /** A non-streaming call with the key check, the wait-for-an-answer timeout and error mapping of generate(). */
  async #call<T>(signal: AbortSignal | undefined, send: (client: GoogleGenAI, signal: AbortSignal) => Promise<T>): Promise<T> {
    const call = signalForOneCall(signal);
    try {
      return await send(await this.#getClient(), call.signal);
    } catch (error) {
      if (signal?.aborted) throw abortErrorFor(signal);
      throw mapGeminiError(error, this.#errorContext(false));
    } finally {
      call.release();
    }
  }

  #prepare(request: ModelRequest): { parameters: GenerateContentParameters; warnings: ProviderWarning[]; codec: ToolNameCodec } {
    // One codec per request, so the names in the reply decode back to exactly the request's.
    const codec = createToolNameCodec((request.tools ?? []).map((tool) => tool.name));
    const { contents, systemInstruction } = convertToGeminiContents(request.messages, codec);
    const { config, warnings } = prepareGeminiConfig(request, this.provider);
    const fullConfig: GenerateContentConfig = {
      ...config,
      ...prepareGeminiTools(request, codec),
      ...(systemInstruction ? { systemInstruction } : {}),
    };
    return { parameters: { model: this.modelId, contents, config: fullConfig }, warnings, codec };
  }

  /** Loads the SDK and builds the client, so that the first request's wait is the vendor's alone. */
  async load(): Promise<void> {
    await this.#getClient();
  }

  #getClient(): Promise<GoogleGenAI> {
    this.#client ??= loadSdk().then(({ GoogleGenAI }) => {
      const { apiKey, baseURL, headers } = this.#settings;
      return new GoogleGenAI({
        // Never undefined: the SDK would fall back to GOOGLE_API_KEY/GEMINI_API_KEY behind llmo's
        // back, or to Google Cloud credentials. A keyless endpoint gets the one placeholder.
        apiKey: apiKey ?? KEYLESS_API_KEY,
        // Pinned so GOOGLE_GENAI_USE_VERTEXAI in the environment cannot reroute llmo to Vertex.
        vertexai: false,
        // No retryOptions: without them the SDK makes one attempt, and llmo's own layer retries.
        // The SDK appends the API version (/v1beta) itself, so baseUrl is the bare origin.
        // No `timeout`: the SDK's stays armed while the body streams in (and is sent to Google as
        // X-Server-Timeout), so it would cut off a long answer that never stopped flowing. llmo's
        // one silence timer is in the retry layer.
        httpOptions: { ...(baseURL === undefined ? {} : { baseUrl: baseURL }), ...(headers === undefined ? {} : { headers }) },
      });
    });
    return this.#client;
  }

  #errorContext(midStream: boolean) {
    return { provider: this.provider, apiKey: this.#settings.apiKey, midStream };
  }
}

function withSignal(parameters: GenerateContentParameters, signal: AbortSignal): GenerateContentParameters {
  return { ...parameters, config: { ...parameters.config, abortSignal: signal } };
}

/**
 * Each call gets an AbortSignal of its own, following the caller's. Two reasons:
 * - @google/genai adds an abort listener to the signal it is given and never removes it once the
 *   request succeeds; with one signal for a whole chat session that leaks a listener per request,
 *   and Node warns on stderr at the eleventh. Ours is unlinked from the caller's when the call ends.
 * - A consumer that stops iterating early must not leave the response streaming in: the SDK only
 *   releases its reader, so `cancel` aborts the request to close the connection.
 */
function signalForOneCall(callerSignal: AbortSignal | undefined) {
  const controller = new AbortController();
  const forward = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) forward();
  else callerSignal?.addEventListener('abort', forward, { once: true });
  return {
    signal: controller.signal,
    cancel: () => controller.abort(),
    release: () => {
      callerSignal?.removeEventListener('abort', forward);
    },
  };
}

/**
 * A Gemini call arrives whole, so its stream parts come at once: the start, the arguments as one
 * delta (so that joined deltas parse to the arguments, as with vendors that stream them), the call.
 */
function* toolCallParts(toolCall: ToolCall): Iterable<StreamPart> {
  yield { type: 'tool-call-start', id: toolCall.id, name: toolCall.name };
  yield { type: 'tool-call-delta', id: toolCall.id, argumentsDelta: JSON.stringify(toolCall.arguments) };
  yield { type: 'tool-call', toolCall };
}
