/** The model contract every adapter implements: requests, embeddings, model lists, vendor batches. */
import type { CallOptions, ModelRequest } from './request.js';
import type { GenerateResult, StreamPart } from './results.js';

/**
 * One model of one provider. `stream` never throws for vendor failures: a failure becomes an
 * `error` part, after which the stream ends. Every successful stream ends with `finish`.
 */
export interface LanguageModel {
  /** The provider's name as configured (`anthropic`, `deepseek`, `ollama`, …). */
  readonly provider: string;
  readonly modelId: string;
  /** A streaming request. Vendor failures arrive as an `error` part, never as a throw. */
  stream(request: ModelRequest, options?: CallOptions): AsyncIterable<StreamPart>;
  /** A non-streaming request (the vendor's non-streaming endpoint). Throws a ProviderError. */
  generate(request: ModelRequest, options?: CallOptions): Promise<GenerateResult>;
  /**
   * Embeds texts with this model (an embedding model). Throws a ProviderError. Absent where the
   * vendor has no embeddings endpoint (Anthropic).
   */
  embed?(texts: readonly string[], options?: EmbedOptions): Promise<EmbedResult>;
  /** The models the provider's endpoint lists for this key (the vendor's model-list endpoint). */
  listModels?(options?: CallOptions): Promise<RemoteModel[]>;
  /**
   * Loads what the first request needs (the vendor SDK), so that the silence timer, which starts
   * after it, does not count loading as waiting for the provider. Optional: without it the first
   * request loads the SDK itself. May reject as the request would (no key).
   */
  load?(): Promise<void>;
  /**
   * The vendor's batch engine (OpenAI Batches, Anthropic Message Batches, Gemini batch mode,
   * Mistral batch jobs): many requests run on the vendor's side within its window, at its batch
   * price. Absent where the vendor has none. Every method throws a ProviderError.
   */
  readonly batch?: BatchApi;
}

/** One request of a vendor batch; its `customId` comes back with its result. */
export interface BatchRequestItem {
  customId: string;
  request: ModelRequest;
}

/** Where a vendor batch is; `vendorStatus` keeps the vendor's own word (in_progress, ended, …). */
export interface BatchJob {
  id: string;
  state: 'running' | 'ended' | 'cancelling' | 'cancelled' | 'failed' | 'expired';
  vendorStatus: string;
  counts: { total: number; succeeded: number; failed: number };
}

export type BatchResultItem =
  | { customId: string; type: 'ok'; result: Omit<GenerateResult, 'warnings'> }
  | { customId: string; type: 'error'; error: string };

export interface BatchApi {
  /**
   * Sends the requests, read once as the submission goes out: a vendor that takes a file streams
   * them into its upload; one that takes them inline in one JSON body builds it from them. Either
   * way the caller never holds them all.
   */
  submit(items: AsyncIterable<BatchRequestItem>, options?: CallOptions): Promise<BatchJob>;
  status(id: string, options?: CallOptions): Promise<BatchJob>;
  /** Each request's result once the batch has ended (in the vendor's order, not the input's). */
  results(id: string, options?: CallOptions): AsyncIterable<BatchResultItem>;
  cancel(id: string, options?: CallOptions): Promise<BatchJob>;
}

export interface EmbedOptions extends CallOptions {
  /** Ask for shorter vectors, where the model supports it. */
  dimensions?: number;
}

export interface EmbedResult {
  /** One vector per input text, in input order. */
  embeddings: number[][];
  usage: { inputTokens: number } | undefined;
  responseModel?: string;
}

export interface RemoteModel {
  id: string;
  displayName?: string;
  /** ISO 8601, where the vendor says. */
  createdAt?: string;
  contextWindow?: number;
  maxOutputTokens?: number;
}
