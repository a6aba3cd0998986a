import type { FinishReason } from '../spec.js';

/** Gemini's `candidates[0].finishReason` (absent until the last chunk) in llmo's terms. */
export function mapGeminiFinishReason(finishReason: string | undefined): FinishReason {
  switch (finishReason) {
    case 'STOP':
      return 'stop';
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
