import type { GenerateContentResponse } from '@google/genai';
import type { GoogleGenAI } from '@google/genai/web';
import {
  abortErrorFor,
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
import { createGeminiBatch } from './gemini-batch.js';
import { createGeminiClient, signalForOneCall, withSignal } from './gemini-client.js';
import { mapGeminiError, streamCutOffError } from './gemini-error.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';
import { mapGeminiModel } from './map-gemini-model.js';
import { geminiToolCallIds, geminiToolCallParts, mapGeminiPart } from './map-gemini-part.js';
import { mapGeminiResponse } from './map-gemini-response.js';
import { mapGeminiUsage } from './map-gemini-usage.js';
import { type GeminiRequestTarget, prepareGeminiRequest } from './prepare-gemini-request.js';

/** A Gemini model spoken to through @google/genai (Gemini API, not Vertex). */
export class GeminiModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly #settings: ProviderSettings;
  readonly #target: GeminiRequestTarget;
  #client: Promise<GoogleGenAI> | undefined;
  /** Batch mode (`batchGenerateContent`) with inlined requests: the answers come back inline too. */
  readonly batch: BatchApi;

  constructor(settings: ProviderSettings) {
    this.provider = settings.provider;
    this.modelId = settings.modelId;
    this.#settings = settings;
    this.#target = { provider: settings.provider, modelId: settings.modelId };
    this.batch = createGeminiBatch(this.#target, (signal, send) => this.#call(signal, send));
  }

  async *stream(request: ModelRequest, options: CallOptions = {}): AsyncIterable<StreamPart> {
    const { signal } = options;
    const { parameters, warnings, codec } = prepareGeminiRequest(this.#target, request);
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
            yield* geminiToolCallParts(outcome.toolCall);
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
    const { parameters, warnings, codec } = prepareGeminiRequest(this.#target, request);

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

    return { ...mapGeminiResponse(response, codec, warnings, this.provider), requestId: response.responseId, warnings };
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

  /** Loads the SDK and builds the client, so that the first request's wait is the vendor's alone. */
  async load(): Promise<void> {
    await this.#getClient();
  }

  #getClient(): Promise<GoogleGenAI> {
    this.#client ??= createGeminiClient(this.#settings);
    return this.#client;
  }

  #errorContext(midStream: boolean) {
    return { provider: this.provider, apiKey: this.#settings.apiKey, midStream };
  }
}
