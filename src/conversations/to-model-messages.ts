/** A saved conversation turned back into the messages a model is sent. */
import type { Message, UserContentPart } from '../providers/spec.js';
import type { AssistantMessage, Conversation, ConversationCompression, StoredToolCall, UserMessage } from './conversation.js';

export interface ModelMessageOptions {
  includeSystem?: boolean;
  /**
   * The images and PDFs of a prompt, when they are still at hand (the chat that attached them
   * keeps them); a prompt whose attachments are gone says so in its text instead.
   */
  attachmentsOf?: (message: UserMessage) => readonly UserContentPart[] | undefined;
}

/**
 * The messages to send a model to carry on: the system prompt first (when there is one and
 * `includeSystem` is not false), then every prompt and reply, a reply that called tools becoming
 * the assistant's calls and a `tool` message of their results — the vendor-neutral shape every
 * adapter maps, so a conversation begun on one vendor continues on another. Empty replies without
 * tool calls are skipped with their prompt, since several vendors reject an empty assistant turn.
 * A compressed conversation sends its summary (a second system message) instead of the messages
 * it summarises.
 */
export function toModelMessages(conversation: Conversation, options: ModelMessageOptions = {}): Message[] {
  const messages: Message[] = [];
  if (options.includeSystem !== false && conversation.system.prompt) messages.push({ role: 'system', content: conversation.system.prompt });
  const { compressed } = conversation;
  if (compressed) messages.push({ role: 'system', content: summaryMessage(compressed) });
  const list = compressed ? conversation.messages.slice(compressed.messages) : conversation.messages;
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
    if (message.role === 'user') messages.push(userMessage(message, options.attachmentsOf?.(message)));
    else messages.push({ role: message.role, content: message.content });
  }
  return messages;
}

/** How the model is told what the summary stands for. */
export function summaryMessage(compressed: ConversationCompression): string {
  return `The earlier part of this conversation (${compressed.messages} messages) was summarised to fit the context window:\n\n${compressed.summary}`;
}

function userMessage(message: UserMessage, parts: readonly UserContentPart[] | undefined): Message {
  if (!message.attachments?.length) return { role: 'user', content: message.content };
  if (parts?.length) return { role: 'user', content: [{ type: 'text', text: message.content }, ...parts] };
  const names = message.attachments.map((attachment) => `${attachment.name} (${attachment.media_type})`).join(', ');
  return { role: 'user', content: `${message.content}\n\n[attached then, not available now: ${names}]` };
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
