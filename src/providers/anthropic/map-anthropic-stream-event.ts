import type Anthropic from '@anthropic-ai/sdk';
import type { StreamPart } from '../spec.js';
import { type AnthropicUsage, mergeAnthropicUsage } from './map-anthropic-usage.js';

/** What a stream has told us so far, beyond the text it has already handed on. */
export interface AnthropicStreamState {
  /** The model id Anthropic says answered (`claude-haiku-4-5-20251001` for `claude-haiku-4-5`). */
  responseModel: string | undefined;
  usage: AnthropicUsage | undefined;
  stopReason: string | null;
  /** `message_stop` arrived. A stream that ends without it was cut off. */
  completed: boolean;
}

export const initialAnthropicStreamState: AnthropicStreamState = {
  responseModel: undefined,
  usage: undefined,
  stopReason: null,
  completed: false,
};

/**
 * One raw Messages stream event as spec stream parts, plus the state after it. Tool-use input
 * (`input_json_delta`), thinking signatures and citations have no spec part yet and are dropped;
 * so are empty deltas (the real server sends a `thinking_delta` of `""` before the signature).
 */
export function mapAnthropicStreamEvent(
  state: AnthropicStreamState,
  event: Anthropic.RawMessageStreamEvent,
): { state: AnthropicStreamState; parts: StreamPart[] } {
  switch (event.type) {
    case 'message_start':
      return {
        state: { ...state, responseModel: event.message.model, usage: mergeAnthropicUsage(state.usage, event.message.usage) },
        parts: [],
      };
    case 'content_block_start': {
      // The API starts blocks empty, but a block may in principle open with content.
      const block = event.content_block;
      if (block.type === 'text') return { state, parts: textPart(block.text) };
      if (block.type === 'thinking') return { state, parts: reasoningPart(block.thinking) };
      return { state, parts: [] };
    }
    case 'content_block_delta': {
      const delta = event.delta;
      if (delta.type === 'text_delta') return { state, parts: textPart(delta.text) };
      if (delta.type === 'thinking_delta') return { state, parts: reasoningPart(delta.thinking) };
      return { state, parts: [] };
    }
    case 'message_delta':
      return {
        state: {
          ...state,
          stopReason: event.delta.stop_reason ?? state.stopReason,
          // message_delta's output_tokens is the running total, not an increment.
          usage: mergeAnthropicUsage(state.usage, event.usage),
        },
        parts: [],
      };
    case 'message_stop':
      return { state: { ...state, completed: true }, parts: [] };
    default:
      return { state, parts: [] };
  }
}

function textPart(text: string): StreamPart[] {
  return text ? [{ type: 'text-delta', text }] : [];
}

function reasoningPart(text: string): StreamPart[] {
  return text ? [{ type: 'reasoning-delta', text }] : [];
}
