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
 * The request shape for a model. With capabilities (prov-core fills them from models.yaml) they
 * decide alone. Without them, the adapter keeps what it did before capabilities existed: the
 * OpenAI forms for the provider called `openai`, the widely understood forms for everyone else.
 */
export function resolveOpenAIRequestShape(settings: Pick<ProviderSettings, 'provider' | 'modelId' | 'capabilities'>): OpenAIRequestShape {
  const { capabilities } = settings;
  if (capabilities === undefined) return legacyShape(settings.provider, settings.modelId);
  const names = OPENAI_SHAPE_CAPABILITIES;
  return {
    maxCompletionTokens: capabilities.has(names.maxCompletionTokens),
    noTemperature: capabilities.has(names.noTemperature),
    maxStopSequences: capabilities.has(names.maxFourStopSequences) ? OPENAI_MAX_STOP_SEQUENCES : undefined,
    structuredOutput: capabilities.has(names.jsonObjectOnly) ? 'json_object' : 'json_schema',
    strictTools: capabilities.has(names.jsonSchema) && !capabilities.has(names.jsonObjectOnly),
  };
}

/** The behaviour before capabilities: the only place the provider's name still decides anything. */
function legacyShape(provider: string, modelId: string): OpenAIRequestShape {
  const isOpenAI = provider === 'openai';
  return {
    maxCompletionTokens: isOpenAI,
    noTemperature: isOpenAI && isOpenAIReasoningModel(modelId),
    maxStopSequences: isOpenAI ? OPENAI_MAX_STOP_SEQUENCES : undefined,
    structuredOutput: 'json_schema',
    strictTools: isOpenAI,
  };
}

/**
 * OpenAI's reasoning models (o1, o3, o4-mini, gpt-5…, but not the gpt-5-chat models) reject any
 * temperature other than the default with a 400. Used only when a model has no capabilities.
 */
export function isOpenAIReasoningModel(modelId: string): boolean {
  return /^o\d/.test(modelId) || (modelId.startsWith('gpt-5') && !modelId.startsWith('gpt-5-chat'));
}
