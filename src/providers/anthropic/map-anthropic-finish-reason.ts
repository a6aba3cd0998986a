import type { FinishReason } from '../spec.js';

/**
 * Anthropic's `stop_reason` as a spec finish reason. Unknown and future reasons (`pause_turn`,
 * whatever comes next) become `other` rather than an error: the answer itself is still good.
 */
export function mapAnthropicFinishReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    // The answer ran into the end of the context window: cut short for length all the same.
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      return 'other';
  }
}
