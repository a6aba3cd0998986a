import type { ChatCompletionResponse } from '@mistralai/mistralai/models/components/chatcompletionresponse.js';
import type { GenerateResult, ToolCall } from '../spec.js';
import type { ToolNameCodec } from '../tool-names.js';
import { convertMistralToolCalls, ToolArgumentsError } from './assemble-mistral-tool-calls.js';
import { extractMistralContent } from './extract-mistral-content.js';
import { mapMistralFinishReason } from './map-mistral-finish-reason.js';
import { mapMistralUsage } from './map-mistral-usage.js';
import { type MistralErrorContext, toolArgumentsProviderError } from './mistral-error.js';

/** A non-streamed reply → what `collectStream` would make of the same reply streamed. */
export function mapMistralCompletion(
  response: ChatCompletionResponse,
  context: MistralErrorContext,
  toolNames: ToolNameCodec,
): Omit<GenerateResult, 'warnings'> {
  const choice = response.choices.find((candidate) => candidate.index === 0) ?? response.choices[0];
  const parts = extractMistralContent(choice?.message?.content);
  let toolCalls: ToolCall[];
  try {
    toolCalls = convertMistralToolCalls(choice?.message?.toolCalls, toolNames);
  } catch (error) {
    if (error instanceof ToolArgumentsError) throw toolArgumentsProviderError(error, context);
    throw error;
  }
  return {
    text: parts
      .filter((part) => part.type === 'text-delta')
      .map((part) => part.text)
      .join(''),
    reasoning: parts
      .filter((part) => part.type === 'reasoning-delta')
      .map((part) => part.text)
      .join(''),
    toolCalls,
    finishReason: mapMistralFinishReason(choice?.finishReason),
    usage: mapMistralUsage(response.usage),
    responseModel: response.model,
    requestId: context.requestId,
  };
}
