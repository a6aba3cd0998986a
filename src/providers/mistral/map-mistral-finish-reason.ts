import type { FinishReason } from '../spec.js';

/**
 * Mistral's `finish_reason` → ours. The SDK types it as an open enum (stop, length, model_length,
 * error, tool_calls, or any string a newer API sends), so anything unknown becomes `other`.
 */
export function mapMistralFinishReason(finishReason: string | null | undefined): FinishReason {
  switch (finishReason) {
    case 'stop':
      return 'stop';
    case 'length':
    // The prompt plus the answer hit the model's context window rather than max_tokens.
    case 'model_length':
      return 'length';
    case 'tool_calls':
      return 'tool-calls';
    case 'error':
      return 'error';
    default:
      return 'other';
  }
}
