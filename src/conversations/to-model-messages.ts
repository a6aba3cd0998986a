/** A saved conversation turned back into the messages a model is sent. */
import type { Message } from '../providers/spec.js';
import type { AssistantMessage, Conversation, StoredToolCall } from './conversation.js';

/**
 * The messages to send a model to carry on: the system prompt first (when there is one and
 * `includeSystem` is not false), then every prompt and reply, a reply that called tools becoming
 * the assistant's calls and a `tool` message of their results — the vendor-neutral shape every
 * adapter maps, so a conversation begun on one vendor continues on another. Empty replies without
 * tool calls are skipped with their prompt, since several vendors reject an empty assistant turn.
 */
export function toModelMessages(conversation: Conversation, options: { includeSystem?: boolean } = {}): Message[] {
  const messages: Message[] = [];
  if (options.includeSystem !== false && conversation.system.prompt) messages.push({ role: 'system', content: conversation.system.prompt });
  const list = conversation.messages;
  for (let index = 0; index < list.length; index += 1) {
    const message = list[index]!;
    const next = list[index + 1];
    if (message.role === 'user' && next?.role === 'assistant' && next.content === '' && !next.tool_calls?.length) {
      index += 1;
      continue;
    }
    if (message.role === 'assistant' && message.tool_calls?.length) {
      messages.push(...toolStepMessages(message, message.tool_calls));
      continue;
    }
    messages.push({ role: message.role, content: message.content });
  }
  return messages;
}

function toolStepMessages(message: AssistantMessage, calls: readonly StoredToolCall[]): Message[] {
  return [
    {
      role: 'assistant',
      content: message.content,
      toolCalls: calls.map((call) => ({
        id: call.id,
        name: call.name,
        arguments: call.arguments,
        ...(call.provider_metadata ? { providerMetadata: call.provider_metadata } : {}),
      })),
    },
    {
      role: 'tool',
      results: calls.map((call) => ({
        toolCallId: call.id,
        name: call.name,
        content: call.result.content,
        ...(call.result.is_error ? { isError: true } : {}),
      })),
    },
  ];
}
