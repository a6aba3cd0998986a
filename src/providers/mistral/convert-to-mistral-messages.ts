import type { ChatCompletionRequestMessage } from '@mistralai/mistralai/models/components/chatcompletionrequest.js';
import { type Message, messageText } from '../spec.js';

/**
 * Our messages → Mistral's.
 *
 * - System messages are hoisted into one leading system message: Mistral rejects a system
 *   message after an assistant one with a 400 ("Unexpected role 'system' after role 'assistant'",
 *   error_400_invalid_request_message_order.json), while llmo lets them appear anywhere.
 * - A trailing assistant message is sent with `prefix: true`. Mistral refuses a conversation that
 *   ends with the assistant unless it is marked as a prefix, and a prefix is what such a message
 *   means here: the answer must continue from it.
 */
export function convertToMistralMessages(messages: readonly Message[]): ChatCompletionRequestMessage[] {
  const system = messages.filter((message) => message.role === 'system').map((message) => messageText(message));
  const converted: ChatCompletionRequestMessage[] = [];
  if (system.length > 0) converted.push({ role: 'system', content: system.join('\n\n') });
  const conversation = messages.filter((message) => message.role !== 'system');
  conversation.forEach((message, index) => {
    if (message.role === 'user') {
      converted.push({ role: 'user', content: messageText(message) });
    } else if (index === conversation.length - 1) {
      converted.push({ role: 'assistant', content: messageText(message), prefix: true });
    } else {
      converted.push({ role: 'assistant', content: messageText(message) });
    }
  });
  return converted;
}
