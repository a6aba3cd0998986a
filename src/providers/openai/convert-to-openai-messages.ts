import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { type Message, messageText } from '../spec.js';

/**
 * Spec messages as chat-completions messages. The API takes system messages anywhere in the list
 * (OpenAI turns `system` into `developer` for reasoning models by itself), so order and roles are
 * kept as they are.
 */
export function convertToOpenAIMessages(messages: readonly Message[]): ChatCompletionMessageParam[] {
  return messages.map((message): ChatCompletionMessageParam => {
    switch (message.role) {
      case 'system':
        return { role: 'system', content: message.content };
      case 'user':
        return { role: 'user', content: messageText(message) };
      case 'assistant':
      case 'tool':
        return { role: 'assistant', content: messageText(message) };
    }
  });
}
