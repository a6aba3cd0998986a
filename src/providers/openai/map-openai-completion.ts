import type { GenerateResult } from '../spec.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import type { OpenAIWireMessageText } from './map-openai-stream-chunk.js';
import { mapOpenAIUsage, type OpenAIWireUsage } from './map-openai-usage.js';

/** The parts of a non-streamed chat.completion this adapter reads. */
export interface OpenAIWireCompletion {
  model?: string;
  choices?: Array<{
    message?: OpenAIWireMessageText | null;
    finish_reason?: string | null;
  }>;
  usage?: OpenAIWireUsage | null;
  /** Some compatible servers (OpenRouter among them) answer 200 with an error instead. */
  error?: unknown;
}

export type MappedCompletion = Omit<GenerateResult, 'requestId' | 'warnings'>;

/** A completion body as a result; undefined when it holds no choice to read. */
export function mapOpenAICompletion(completion: OpenAIWireCompletion): MappedCompletion | undefined {
  const choice = Array.isArray(completion.choices) ? completion.choices[0] : undefined;
  if (!choice) return undefined;
  const message = choice.message ?? {};
  return {
    // A refusal is the model's answer in another field; show it rather than an empty reply.
    text: message.content || message.refusal || '',
    reasoning: message.reasoning_content || message.reasoning || '',
    toolCalls: [],
    finishReason: mapOpenAIFinishReason(choice.finish_reason),
    usage: mapOpenAIUsage(completion.usage),
    responseModel: completion.model || undefined,
  };
}
