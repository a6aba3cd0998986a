import type { Part } from '@google/genai';
import type { StreamPart, ToolCall } from '../spec.js';
import type { ToolNameCodec } from '../tool-names.js';

export type GeminiPartOutcome = Extract<StreamPart, { type: 'text-delta' | 'reasoning-delta' | 'tool-call' }>;

/**
 * One part of a Gemini reply in llmo's terms: a thought part is reasoning, another text part is
 * answer text, a `functionCall` part is a whole tool call (Gemini never streams arguments).
 * Parts that carry nothing llmo shows (empty text, a text part's lone thoughtSignature) give
 * undefined.
 */
export function mapGeminiPart(part: Part, nextToolCallId: () => string, codec: ToolNameCodec): GeminiPartOutcome | undefined {
  if (part.functionCall) {
    const toolCall: ToolCall = {
      id: part.functionCall.id ?? nextToolCallId(),
      name: codec.decode(part.functionCall.name ?? ''),
      arguments: part.functionCall.args ?? {},
    };
    // Gemini refuses a follow-up whose function call lacks the signature it came with.
    if (part.thoughtSignature !== undefined) toolCall.providerMetadata = { thoughtSignature: part.thoughtSignature };
    return { type: 'tool-call', toolCall };
  }
  if (typeof part.text !== 'string' || part.text === '') return undefined;
  return part.thought === true ? { type: 'reasoning-delta', text: part.text } : { type: 'text-delta', text: part.text };
}

/**
 * Gemini sends calls without ids; llmo's tool messages need one to pair a result with its call.
 * Ids are made from the response's id and the call's place in it, so the same response gives
 * the same ids streamed or not, and two steps of one conversation never share an id.
 */
export function geminiToolCallIds(responseId: string | undefined): () => string {
  const prefix = responseId ?? `gemini-${crypto.randomUUID()}`;
  let next = 0;
  return () => `${prefix}-call-${next++}`;
}

/**
 * A Gemini call arrives whole, so its stream parts come at once: the start, the arguments as one
 * delta (so that joined deltas parse to the arguments, as with vendors that stream them), the call.
 */
export function* geminiToolCallParts(toolCall: ToolCall): Iterable<StreamPart> {
  yield { type: 'tool-call-start', id: toolCall.id, name: toolCall.name };
  yield { type: 'tool-call-delta', id: toolCall.id, argumentsDelta: JSON.stringify(toolCall.arguments) };
  yield { type: 'tool-call', toolCall };
}
