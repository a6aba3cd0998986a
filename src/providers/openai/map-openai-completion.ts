import type { GenerateResult } from '../spec.js';
import type { ToolNameCodec } from '../tool-names.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import type { OpenAIWireMessageText } from './map-openai-stream-chunk.js';
import { mapOpenAIToolCalls, type OpenAIWireToolCall } from './map-openai-tool-call.js';
import { mapOpenAIUsage, type OpenAIWireUsage } from './map-openai-usage.js';

/** The parts of a non-streamed chat.completion this adapter reads. */
export interface OpenAIWireCompletion {
  model?: string;
  choices?: Array<{
    message?: (OpenAIWireMessageText & { tool_calls?: OpenAIWireToolCall[] | null }) | null;
    finish_reason?: string | null;
  }>;
  usage?: OpenAIWireUsage | null;
  /** Some compatible servers (OpenRouter among them) answer 200 with an error instead. */
  error?: unknown;
}

export type MappedCompletion = Omit<GenerateResult, 'requestId' | 'warnings'>;

/**
 * A completion body as a result; undefined when it holds no choice to read. Throws an
 * InvalidToolArgumentsError when a tool call's arguments are not a JSON object.
 */
export function mapOpenAICompletion(completion: OpenAIWireCompletion, toolNames?: ToolNameCodec): MappedCompletion | undefined {
  const choice = Array.isArray(completion.choices) ? completion.choices[0] : undefined;
  if (!choice) return undefined;
  const message = choice.message ?? {};
  const toolCalls = mapOpenAIToolCalls(message.tool_calls, toolNames);
  return {
    // A refusal is the model's answer in another field; show it rather than an empty reply.
    text: message.content || message.refusal || '',
    reasoning: message.reasoning_content || message.reasoning || '',
    toolCalls,
    finishReason: mapOpenAIFinishReason(choice.finish_reason, toolCalls.length > 0),
    usage: mapOpenAIUsage(completion.usage),
    responseModel: completion.model || undefined,
  };
}
