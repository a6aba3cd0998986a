import type { ProviderSettings } from '../spec.js';

/**
 * How one model's endpoint wants to be asked. OpenAI and the servers that copy its protocol
 * differ in a few fields; which form a model takes is data (models.yaml `capabilities`), so a
 * provider called `work` with `api: openai` sends exactly what `openai` sends for the same model.
 */
export interface OpenAIRequestShape {
  /** `max_completion_tokens` (OpenAI, whose reasoning models reject `max_tokens`) instead of `max_tokens`. */
  maxCompletionTokens: boolean;
  /** The model rejects any temperature but the default (OpenAI's reasoning models answer 400). */
  noTemperature: boolean;
  /** The most stop sequences the endpoint takes (OpenAI: 4); undefined for no known limit. */
  maxStopSequences: number | undefined;
  /**
   * `json_schema`: native `response_format` schemas (strict where the schema allows it).
   * `json_object`: only `{type: 'json_object'}`, the schema travels in the prompt (DeepSeek).
   */
  structuredOutput: 'json_schema' | 'json_object';
  /**
   * Function schemas may go out with `strict: true` (where the schema allows it). Only where
   * native schemas are known to work: DeepSeek, for one, takes strict functions only on its beta
   * endpoint.
   */
  strictTools: boolean;
}

/** The capability names this adapter reads from `ProviderSettings.capabilities`. */
export const OPENAI_SHAPE_CAPABILITIES = {
  maxCompletionTokens: 'max_completion_tokens',
  noTemperature: 'no_temperature',
  maxFourStopSequences: 'stop_sequences_max_4',
  jsonSchema: 'json_schema',
  jsonObjectOnly: 'json_object_only',
} as const;

/** OpenAI accepts at most four stop sequences. */
const OPENAI_MAX_STOP_SEQUENCES = 4;

/**
 * The request shape for a model, decided by its capabilities alone (the registry fills them from
 * models.yaml, with defaults per adapter). Without any, the widely understood chat-completions
 * forms: `max_tokens`, temperature passed, no stop-sequence limit, native schemas, no strict tools.
 */
export function resolveOpenAIRequestShape(settings: Pick<ProviderSettings, 'capabilities'>): OpenAIRequestShape {
  const capabilities = settings.capabilities ?? new Set<string>();
  const names = OPENAI_SHAPE_CAPABILITIES;
  return {
    maxCompletionTokens: capabilities.has(names.maxCompletionTokens),
    noTemperature: capabilities.has(names.noTemperature),
    maxStopSequences: capabilities.has(names.maxFourStopSequences) ? OPENAI_MAX_STOP_SEQUENCES : undefined,
    structuredOutput: capabilities.has(names.jsonObjectOnly) ? 'json_object' : 'json_schema',
    strictTools: capabilities.has(names.jsonSchema) && !capabilities.has(names.jsonObjectOnly),
  };
}
