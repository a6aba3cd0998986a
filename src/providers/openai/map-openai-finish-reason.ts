import type { FinishReason } from '../spec.js';

/**
 * OpenAI's `finish_reason` (and the values compatible servers add to it) as a spec FinishReason.
 * DeepSeek ends with `insufficient_system_resource` when its inference cluster cut the answer
 * short; that is the vendor's failure, not a limit the caller set, so it maps to 'error'.
 * A reply that carries tool calls ends in 'tool-calls' even when the server says `stop`, which
 * OpenAI does when `tool_choice` names a function (`*_tool_choice_function`).
 */
export function mapOpenAIFinishReason(finishReason: string | null | undefined, hasToolCalls = false): FinishReason {
  switch (finishReason) {
    case 'stop':
      return hasToolCalls ? 'tool-calls' : 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content-filter';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'insufficient_system_resource':
      return 'error';
    default:
      return 'other';
  }
}
