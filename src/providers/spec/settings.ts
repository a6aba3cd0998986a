/** What the registry hands an adapter: its settings, the model's capabilities and limits. */
import type { LanguageModel } from './model.js';

/** What the registry hands a vendor adapter to build a model. */
export interface ProviderSettings {
  /** The configured provider name (also used in error messages). */
  provider: string;
  modelId: string;
  /**
   * The key, or undefined for an endpoint that needs none (models.yaml `api_key_name: null`): the
   * registry refuses to build a model whose provider needs a key it was not given. Without a key
   * every adapter sends `KEYLESS_API_KEY` where its SDK insists on one, and never lets the SDK look
   * for a key of its own (environment variables, credential files).
   */
  apiKey: string | undefined;
  baseURL: string | undefined;
  /** Extra HTTP headers for every request (from models.yaml `headers`). */
  headers?: Record<string, string>;
  /**
   * What the model can do and how its endpoint wants to be asked, from models.yaml `capabilities`
   * (with defaults per adapter). Adapters decide by these, never by the provider's name.
   */
  capabilities?: ReadonlySet<ModelCapability>;
}

/**
 * What a model can do (`tools`, `vision`, `pdf`, `json_schema`, `reasoning`, `embeddings`,
 * `prompt_cache`, `batch`), plus request-shape quirks some OpenAI-compatible servers need
 * (`max_completion_tokens`, `json_object_only`, …). Kept open-ended so a new quirk is data, not code.
 */
export type ModelCapability = string;

export type CreateLanguageModel = (settings: ProviderSettings) => LanguageModel;

/** What every adapter sends as the key to an endpoint that needs none (short, so never redacted). */
export const KEYLESS_API_KEY = 'keyless';

/**
 * How much inline image and PDF data a vendor's endpoint takes, in bytes before base64 encoding
 * (each adapter documents where its numbers come from). Checked before the call: a request over
 * a limit is a paid upload that comes back as a 400.
 */
export interface AttachmentLimits {
  /** One image. */
  imageBytes: number;
  /** One PDF. */
  pdfBytes: number;
  /** All images and PDFs of one request together. */
  requestBytes: number;
  /** How many images one request may carry, where the vendor says. */
  images?: number;
}
