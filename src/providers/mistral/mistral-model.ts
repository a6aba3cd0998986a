import type { MistralCore } from '@mistralai/mistralai/core.js';
import type { ChatCompletionResponse } from '@mistralai/mistralai/models/components/chatcompletionresponse.js';
import type { CompletionEvent } from '@mistralai/mistralai/models/components/completionevent.js';
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
import { convertMistralModels } from './convert-mistral-models.js';
import { loadCompleteSdk, loadEmbedSdk, loadModelsSdk, loadStreamSdk } from './load-mistral-sdk.js';
import { mapMistralCompletion } from './map-mistral-completion.js';
import { createMistralBatch } from './mistral-batch.js';
import {
  CallSignal,
  createMistralClient,
  mistralErrorContext,
  mistralRequestOptions,
  mistralRequestTarget,
  requestIdOf,
} from './mistral-client.js';
import { mapMistralError } from './mistral-error.js';
import { prepareMistralRequest } from './prepare-mistral-request.js';
import { readMistralStream } from './read-mistral-stream.js';

export class MistralModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly #settings: ProviderSettings;
  #client: MistralCore | undefined;
  /** Batch jobs with the requests inlined (no file upload), results read inline from the job. */
  readonly batch: BatchApi;

  constructor(settings: ProviderSettings) {
    this.provider = settings.provider;
    this.modelId = settings.modelId;
    this.#settings = settings;
    this.batch = createMistralBatch(settings, (Core) => this.#clientFor(Core));
  }

  async *stream(request: ModelRequest, options: CallOptions = {}): AsyncIterable<StreamPart> {
    const { body, warnings, toolNames } = prepareMistralRequest(mistralRequestTarget(this.#settings), request);
    for (const warning of warnings) yield { type: 'warning', warning };
    const callerSignal = options.signal;
    if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
    const [Core, chatStream] = await loadStreamSdk();
    const call = new CallSignal(callerSignal);
    const context = mistralErrorContext(this.#settings);
    try {
      let events: AsyncIterable<CompletionEvent>;
      try {
        const [result, apiCall] = await chatStream(
          this.#clientFor(Core),
          { ...body, stream: true },
          mistralRequestOptions(this.#settings, call.signal),
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
      yield* readMistralStream(events, callerSignal, context, toolNames);
    } finally {
      // Also tears the connection down when the consumer stops reading early.
      call.dispose();
    }
  }

  async generate(request: ModelRequest, options: CallOptions = {}): Promise<GenerateResult> {
    const { body, warnings, toolNames } = prepareMistralRequest(mistralRequestTarget(this.#settings), request);
    const callerSignal = options.signal;
    if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
    const [Core, chatComplete] = await loadCompleteSdk();
    const call = new CallSignal(callerSignal);
    const context = mistralErrorContext(this.#settings);
    let response: ChatCompletionResponse;
    try {
      const [result, apiCall] = await chatComplete(
        this.#clientFor(Core),
        { ...body, stream: false },
        mistralRequestOptions(this.#settings, call.signal),
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
    return { ...mapMistralCompletion(response, context, toolNames), warnings };
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    const callerSignal = options.signal;
    if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
    const [Core, embeddingsCreate] = await loadEmbedSdk();
    const call = new CallSignal(callerSignal);
    const context = mistralErrorContext(this.#settings);
    try {
      const request = {
        model: this.modelId,
        inputs: [...texts],
        ...(options.dimensions === undefined ? {} : { outputDimension: options.dimensions }),
      };
      const [result, apiCall] = await embeddingsCreate(
        this.#clientFor(Core),
        request,
        mistralRequestOptions(this.#settings, call.signal),
      ).$inspect();
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
    const context = mistralErrorContext(this.#settings);
    try {
      const [result, apiCall] = await modelsList(this.#clientFor(Core), {}, mistralRequestOptions(this.#settings, call.signal)).$inspect();
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

  /** Loads the SDK (core and chat), so that the first request's wait is the vendor's alone. */
  async load(): Promise<void> {
    const [Core] = await loadStreamSdk();
    this.#clientFor(Core);
  }

  /** One client per model, built on first use. */
  #clientFor(Core: typeof MistralCore): MistralCore {
    this.#client ??= createMistralClient(Core, this.#settings);
    return this.#client;
  }
}
