import type Anthropic from '@anthropic-ai/sdk';
import { type Message, messageText } from '../spec.js';

export interface AnthropicPrompt {
  /** Every system message, in order, joined by a blank line; undefined when there is none. */
  system: string | undefined;
  messages: Anthropic.MessageParam[];
}

/**
 * Spec messages as Anthropic's request: system messages wherever they appear go to the top-level
 * `system` parameter, and consecutive messages of the same role are merged into one, because the
 * API expects user and assistant turns to alternate. Merged turns keep each message as its own
 * text block, so no separator is invented between them.
 */
export function convertToAnthropicMessages(messages: readonly Message[]): AnthropicPrompt {
  const systemTexts: string[] = [];
  const turns: { role: 'user' | 'assistant'; texts: string[] }[] = [];

  for (const message of messages) {
    if (message.role === 'system') {
      systemTexts.push(message.content);
      continue;
    }
    const previous = turns.at(-1);
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    if (previous?.role === role) previous.texts.push(messageText(message));
    else turns.push({ role, texts: [messageText(message)] });
  }

  return {
    system: systemTexts.length > 0 ? systemTexts.join('\n\n') : undefined,
    messages: turns.map(({ role, texts }) => ({
      role,
      content: texts.length === 1 ? (texts[0] ?? '') : texts.map((text) => ({ type: 'text' as const, text })),
    })),
  };
}
