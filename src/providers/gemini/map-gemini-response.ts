import type { GenerateContentResponse } from '@google/genai';
import type { FinishReason, GenerateResult, ProviderWarning, ToolCall } from '../spec.js';
import type { ToolNameCodec } from '../tool-names.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';
import { geminiToolCallIds, mapGeminiPart } from './map-gemini-part.js';
import { mapGeminiUsage } from './map-gemini-usage.js';

/**
 * A whole response as a result (generate(), and each answer of a batch). A blocked prompt adds
 * its warning to `warnings`, naming `provider`.
 */
export function mapGeminiResponse(
  response: GenerateContentResponse,
  codec: ToolNameCodec,
  warnings: ProviderWarning[],
  provider: string,
): Omit<GenerateResult, 'warnings' | 'requestId'> {
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
    warnings.push({ type: 'other', provider, message: `blocked the prompt (${blockReason})` });
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
