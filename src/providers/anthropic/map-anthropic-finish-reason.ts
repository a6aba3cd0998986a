import type { FinishReason } from '../spec.js';

/**
 * Anthropic's `stop_reason` as a spec finish reason. Unknown and future reasons (`pause_turn`,
 * whatever comes next) become `other` rather than an error: the answer itself is still good.
 *
 * `toolCallCount` is how many tool calls the reply handed on. A reply that stopped for `tool_use`
 * but called only the structured-output tool has no call to run: its JSON is the answer, so it
 * finished with `stop`.
 */
export function mapAnthropicFinishReason(stopReason: string | null | undefined, toolCallCount?: number): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    // The answer ran into the end of the context window: cut short for length all the same.
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return toolCallCount === 0 ? 'stop' : 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      return 'other';
  }
}
