import type { ContentChunk } from '@mistralai/mistralai/models/components/contentchunk.js';
import type { StreamPart } from '../spec.js';

export type ContentPart = Extract<StreamPart, { type: 'text-delta' | 'reasoning-delta' }>;

/**
 * A message's or delta's `content` → text and reasoning parts, in order.
 *
 * Plain answers are a string. With reasoning, Mistral switches to an array of parts —
 * `{type:"thinking", thinking:[{type:"text", text}], closed}` and `{type:"text", text}` — and back to
 * strings once the answer flows (stream_thinking_content_chunks.sse). Empty strings are dropped;
 * parts llmo cannot show (images, references) are skipped.
 */
export function extractMistralContent(content: string | readonly ContentChunk[] | null | undefined): ContentPart[] {
  if (content == null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text-delta', text: content }];
  const parts: ContentPart[] = [];
  for (const chunk of content) {
    if (chunk.type === 'text') {
      if (chunk.text !== '') parts.push({ type: 'text-delta', text: chunk.text });
    } else if (chunk.type === 'thinking') {
      for (const thought of chunk.thinking) {
        // Thinking also holds tool and document references, which have no text.
        if ('text' in thought && typeof thought.text === 'string' && thought.text !== '') {
          parts.push({ type: 'reasoning-delta', text: thought.text });
        }
      }
    }
  }
  return parts;
}
