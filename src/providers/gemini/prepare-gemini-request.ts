import type { GenerateContentConfig, GenerateContentParameters } from '@google/genai';
import type { ModelRequest, ProviderWarning } from '../spec.js';
import { createToolNameCodec, type ToolNameCodec } from '../tool-names.js';
import { convertToGeminiContents } from './convert-to-gemini-contents.js';
import { prepareGeminiConfig } from './prepare-gemini-config.js';
import { prepareGeminiTools } from './prepare-gemini-tools.js';

/** What a request is prepared for: the model, and the provider's name for warnings. */
export interface GeminiRequestTarget {
  provider: string;
  modelId: string;
}

export interface PreparedGeminiRequest {
  parameters: GenerateContentParameters;
  warnings: ProviderWarning[];
  /** Decodes the tool names of the reply back to the request's. */
  codec: ToolNameCodec;
}

/** Our request → generateContent's parameters (without the signal), plus what Gemini can't honour. */
export function prepareGeminiRequest(target: GeminiRequestTarget, request: ModelRequest): PreparedGeminiRequest {
  // One codec per request, so the names in the reply decode back to exactly the request's.
  const codec = createToolNameCodec((request.tools ?? []).map((tool) => tool.name));
  const { contents, systemInstruction } = convertToGeminiContents(request.messages, codec);
  const { config, warnings } = prepareGeminiConfig(request, target.provider);
  const fullConfig: GenerateContentConfig = {
    ...config,
    ...prepareGeminiTools(request, codec),
    ...(systemInstruction ? { systemInstruction } : {}),
  };
  return { parameters: { model: target.modelId, contents, config: fullConfig }, warnings, codec };
}
