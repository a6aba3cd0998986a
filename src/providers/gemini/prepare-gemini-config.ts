import type { GenerateContentConfig } from '@google/genai';
import type { ModelRequest, ProviderWarning } from '../spec.js';

/** Gemini stops on at most five sequences and answers 400 to more. */
const MAX_STOP_SEQUENCES = 5;
const TEMPERATURE_RANGE = { min: 0, max: 2 } as const;

/** `providerOptions.gemini` keys passed through to GenerateContentConfig as they are. */
const PASSED_THROUGH = ['thinkingConfig', 'safetySettings', 'topP', 'topK', 'seed', 'cachedContent'] as const;

export interface PreparedGeminiConfig {
  config: GenerateContentConfig;
  /** Settings Gemini cannot honour as given. */
  warnings: ProviderWarning[];
}

/**
 * The request's settings as a GenerateContentConfig (without contents, system instruction, tools
 * or signal, which the model adds). What Gemini can't honour is adjusted and reported as a
 * warning naming `provider` (the name the user configured), not thrown.
 */
export function prepareGeminiConfig(request: ModelRequest, provider: string): PreparedGeminiConfig {
  const warnings: ProviderWarning[] = [];
  const unsupported = (feature: string, details: string) => warnings.push({ type: 'unsupported', provider, feature, details });
  const config: GenerateContentConfig = {
    // The SDK would otherwise re-send a stream that dropped before its first chunk. Retries
    // belong to llmo's own layer, and a dropped stream must surface as an error part.
    automaticContinuation: false,
  };

  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;

  if (request.temperature !== undefined) {
    const clamped = Math.min(TEMPERATURE_RANGE.max, Math.max(TEMPERATURE_RANGE.min, request.temperature));
    if (clamped !== request.temperature) {
      unsupported('temperature', `Gemini accepts 0 to 2; sent ${clamped} instead of ${request.temperature}`);
    }
    config.temperature = clamped;
  }

  if (request.stop !== undefined && request.stop.length > 0) {
    if (request.stop.length > MAX_STOP_SEQUENCES) {
      unsupported('stop sequences', `Gemini accepts at most ${MAX_STOP_SEQUENCES}; only the first ${MAX_STOP_SEQUENCES} were sent`);
    }
    config.stopSequences = request.stop.slice(0, MAX_STOP_SEQUENCES);
  }

  // Plain JSON Schema goes in responseJsonSchema; responseSchema would want Google's OpenAPI subset.
  if (request.responseFormat?.type === 'json') {
    config.responseMimeType = 'application/json';
    if (request.responseFormat.schema !== undefined) config.responseJsonSchema = request.responseFormat.schema;
  }

  const options = request.providerOptions?.gemini ?? {};
  for (const [key, value] of Object.entries(options)) {
    if ((PASSED_THROUGH as readonly string[]).includes(key)) {
      Object.assign(config, { [key]: value });
    } else {
      unsupported(`providerOptions.gemini.${key}`, `the known options are ${PASSED_THROUGH.join(', ')}`);
    }
  }
  return { config, warnings };
}
