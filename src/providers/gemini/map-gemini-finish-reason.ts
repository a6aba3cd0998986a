import type { FinishReason } from '../spec.js';

/**
 * Gemini's `candidates[0].finishReason` (absent until the last chunk) in llmo's terms. Gemini has
 * no reason of its own for tool calls: a reply that asked for some ends with STOP.
 */
export function mapGeminiFinishReason(finishReason: string | undefined, hasToolCalls = false): FinishReason {
  switch (finishReason) {
    case 'STOP':
      return hasToolCalls ? 'tool-calls' : 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
    case 'IMAGE_PROHIBITED_CONTENT':
    case 'IMAGE_RECITATION':
      return 'content-filter';
    default:
      return 'other';
  }
}
