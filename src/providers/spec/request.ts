/** One request to a model, and the options of one call. */
import type { JsonSchema, Message, ToolChoice, ToolDefinition } from './messages.js';

/** Ask for JSON. With a schema, adapters use the vendor's native structured output where the model has it. */
export interface ResponseFormat {
  type: 'json';
  schema?: JsonSchema;
  /** A short identifier for the schema (OpenAI and others require one). */
  name?: string;
  description?: string;
}

export interface ModelRequest {
  /** System messages may appear anywhere; adapters hoist them where the vendor needs it. */
  messages: Message[];
  maxTokens?: number | undefined;
  temperature?: number | undefined;
  stop?: string[] | undefined;
  /** Tools the model may call. Only the selected tools go here, never a whole server's list. */
  tools?: ToolDefinition[];
  /** Default `auto` when tools are given. */
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  /** Vendor-only settings, keyed by adapter name: `{ anthropic: { … }, openai: { … } }`. */
  providerOptions?: Record<string, Record<string, unknown>>;
  /**
   * Which prefix of the prompt is worth the vendor's prompt cache: the system prompt, and/or the
   * whole conversation so far (the next turn reads it back at the cached-input price). Adapters
   * whose vendor needs marking (Anthropic's `cache_control`) mark it; the others ignore it, as
   * OpenAI, Gemini, Mistral and DeepSeek cache long prefixes by themselves.
   */
  cacheHint?: CacheHint | undefined;
}

export interface CacheHint {
  system?: boolean;
  history?: boolean;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
}
