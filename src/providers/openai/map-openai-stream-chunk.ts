import type { StreamPart, Usage } from '../spec.js';
import { mapOpenAIUsage, type OpenAIWireUsage } from './map-openai-usage.js';

/**
 * The text fields of a message (non-streamed) or a delta (streamed), which carry the same names:
 * the answer, a refusal, and reasoning under either of the names compatible servers use.
 */
export interface OpenAIWireMessageText {
  content?: string | null;
  refusal?: string | null;
  /** DeepSeek and vLLM. */
  reasoning_content?: string | null;
  /** Ollama and OpenRouter. */
  reasoning?: string | null;
}

/** The parts of a chat.completion.chunk this adapter reads, as OpenAI and compatible servers send them. */
export interface OpenAIWireChunk {
  model?: string;
  choices?: Array<{
    delta?: OpenAIWireMessageText | null;
    finish_reason?: string | null;
  }>;
  usage?: OpenAIWireUsage | null;
}

/** What a stream has told us so far, beyond its deltas. */
export interface OpenAIStreamState {
  /** The raw finish_reason; undefined until a chunk carries one. */
  finishReason: string | undefined;
  usage: Usage | undefined;
  responseModel: string | undefined;
}

export function createOpenAIStreamState(): OpenAIStreamState {
  return { finishReason: undefined, usage: undefined, responseModel: undefined };
}

/**
 * The stream parts in one chunk, recording its finish reason, usage and model in `state`.
 * Usage can come on the finish chunk (DeepSeek, always) or on a later chunk with no choices
 * (OpenAI with include_usage), so it is kept wherever it turns up.
 */
export function mapOpenAIStreamChunk(chunk: OpenAIWireChunk, state: OpenAIStreamState): StreamPart[] {
  const parts: StreamPart[] = [];
  if (typeof chunk.model === 'string' && chunk.model) state.responseModel ??= chunk.model;
  const usage = mapOpenAIUsage(chunk.usage);
  if (usage) state.usage = usage;

  // llmo asks for one choice; a usage chunk has none.
  const choice = chunk.choices?.[0];
  if (!choice) return parts;
  const delta = choice.delta ?? {};
  const reasoning = delta.reasoning_content ?? delta.reasoning;
  if (typeof reasoning === 'string' && reasoning) parts.push({ type: 'reasoning-delta', text: reasoning });
  if (typeof delta.content === 'string' && delta.content) parts.push({ type: 'text-delta', text: delta.content });
  // A refusal is the model's answer in another field; show it rather than an empty reply.
  if (typeof delta.refusal === 'string' && delta.refusal) parts.push({ type: 'text-delta', text: delta.refusal });
  if (choice.finish_reason) state.finishReason = choice.finish_reason;
  return parts;
}
