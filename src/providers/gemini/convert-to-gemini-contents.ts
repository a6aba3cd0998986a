import type { Content, Part } from '@google/genai';
import { type Message, messageText } from '../spec.js';

export interface GeminiPrompt {
  /** The conversation turns, roles `user` and `model`. */
  contents: Content[];
  /** Every system message, in order, one part each; undefined when there are none. */
  systemInstruction: Content | undefined;
}

/**
 * Gemini takes the system prompt outside the turns (`config.systemInstruction`), calls the
 * assistant `model`, and expects turns to alternate, so consecutive messages of one role
 * become one turn with several parts.
 */
export function convertToGeminiContents(messages: readonly Message[]): GeminiPrompt {
  const systemParts: Part[] = [];
  const contents: Array<{ role: 'user' | 'model'; parts: Part[] }> = [];
  for (const message of messages) {
    if (message.role === 'system') {
      systemParts.push({ text: message.content });
      continue;
    }
    const role = message.role === 'assistant' ? 'model' : 'user';
    const previous = contents.at(-1);
    if (previous?.role === role) previous.parts.push({ text: messageText(message) });
    else contents.push({ role, parts: [{ text: messageText(message) }] });
  }
  return {
    contents,
    systemInstruction: systemParts.length > 0 ? { parts: systemParts } : undefined,
  };
}
