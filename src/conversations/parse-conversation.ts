/**
 * Reads a conversation file's text back into a Conversation, checking the shape the schema
 * (conversations/conversation.schema.json) describes. Anything else is a CorruptConversation
 * naming the first problem, so `list` can report the file and the store can refuse to
 * overwrite it.
 */
import {
  CONVERSATION_VERSION,
  type AssistantMessage,
  type Conversation,
  type ConversationMessage,
  type ConversationCompression,
  type ConversationParent,
  type ConversationSystem,
  type StoredAttachment,
  type StoredToolCall,
  type StoredUsage,
} from './conversation.js';
import { isConversationId } from './conversation-id.js';

export class CorruptConversation extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CorruptConversation';
  }
}

type Raw = Record<string, unknown>;

export function parseConversation(text: string): Conversation {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CorruptConversation(`not valid JSON (${(error as Error).message})`);
  }
  const root = record(value, 'the file');
  if (root.version !== CONVERSATION_VERSION) {
    throw new CorruptConversation(`unsupported version ${JSON.stringify(root.version)} (this llmo reads version ${CONVERSATION_VERSION})`);
  }
  const id = string(root, 'id');
  if (!isConversationId(id)) throw new CorruptConversation(`id ${JSON.stringify(id)} is not chat_YYYYMMDD_HHMMSS[_n]`);
  const origin = string(root, 'origin');
  if (origin !== 'chat' && origin !== 'ask') throw new CorruptConversation('origin must be "chat" or "ask"');
  const messages = root.messages;
  if (!Array.isArray(messages)) throw new CorruptConversation('messages must be a list');
  const conversation: Conversation = {
    version: CONVERSATION_VERSION,
    id,
    title: string(root, 'title'),
    created_at: time(root, 'created_at'),
    updated_at: time(root, 'updated_at'),
    origin,
    model: string(root, 'model'),
    system: system(root.system),
    messages: messages.map((message, index) => parseMessage(message, index)),
  };
  if (root.parent !== undefined) conversation.parent = parent(root.parent);
  if (root.compressed !== undefined) conversation.compressed = compression(root.compressed, conversation.messages.length);
  return conversation;
}

function parent(value: unknown): ConversationParent {
  const raw = record(value, 'parent');
  const id = string(raw, 'id', 'parent');
  if (!isConversationId(id)) throw new CorruptConversation(`parent.id ${JSON.stringify(id)} is not a conversation id`);
  return { id, turn: integer(raw, 'turn', 'parent') };
}

function compression(value: unknown, messages: number): ConversationCompression {
  const raw = record(value, 'compressed');
  const count = integer(raw, 'messages', 'compressed');
  if (count > messages) throw new CorruptConversation(`compressed.messages is ${count}, but there are only ${messages} messages`);
  return {
    messages: count,
    summary: string(raw, 'summary', 'compressed'),
    model: string(raw, 'model', 'compressed'),
    created_at: time(raw, 'created_at', 'compressed'),
  };
}

function attachment(value: unknown, where: string): StoredAttachment {
  const raw = record(value, where);
  return { name: string(raw, 'name', where), media_type: string(raw, 'media_type', where), bytes: integer(raw, 'bytes', where) };
}

function system(value: unknown): ConversationSystem {
  const raw = record(value, 'system');
  return {
    prompt: nullableString(raw, 'prompt', 'system'),
    persona: nullableString(raw, 'persona', 'system'),
    role: nullableString(raw, 'role', 'system'),
    text: nullableString(raw, 'text', 'system'),
  };
}

function parseMessage(value: unknown, index: number): ConversationMessage {
  const where = `messages[${index}]`;
  const raw = record(value, where);
  const content = string(raw, 'content', where);
  const created_at = time(raw, 'created_at', where);
  if (raw.role === 'user') {
    if (raw.attachments === undefined) return { role: 'user', content, created_at };
    if (!Array.isArray(raw.attachments)) throw new CorruptConversation(`${where}.attachments must be a list`);
    const attachments = raw.attachments.map((item, position) => attachment(item, `${where}.attachments[${position}]`));
    return { role: 'user', content, created_at, attachments };
  }
  if (raw.role !== 'assistant') throw new CorruptConversation(`${where}.role must be "user" or "assistant"`);
  const message: AssistantMessage = {
    role: 'assistant',
    content,
    created_at,
    provider: string(raw, 'provider', where),
    model: string(raw, 'model', where),
    finish_reason: nullableString(raw, 'finish_reason', where) as AssistantMessage['finish_reason'],
    usage: raw.usage === null || raw.usage === undefined ? null : usage(raw.usage, `${where}.usage`),
    cost_usd: nullableNumber(raw, 'cost_usd', where),
    duration_ms: number(raw, 'duration_ms', where),
  };
  if (raw.response_model !== undefined) message.response_model = string(raw, 'response_model', where);
  if (raw.interrupted === true) message.interrupted = true;
  if (raw.error !== undefined) {
    const error = record(raw.error, `${where}.error`);
    message.error = { kind: string(error, 'kind', `${where}.error`), message: string(error, 'message', `${where}.error`) };
  }
  if (raw.tool_calls !== undefined) {
    if (!Array.isArray(raw.tool_calls)) throw new CorruptConversation(`${where}.tool_calls must be a list`);
    message.tool_calls = raw.tool_calls.map((call, index) => toolCall(call, `${where}.tool_calls[${index}]`));
  }
  return message;
}

function toolCall(value: unknown, where: string): StoredToolCall {
  const raw = record(value, where);
  const result = record(raw.result, `${where}.result`);
  if (typeof result.is_error !== 'boolean') throw new CorruptConversation(`${where}.result.is_error must be true or false`);
  const call: StoredToolCall = {
    id: string(raw, 'id', where),
    name: string(raw, 'name', where),
    arguments: record(raw.arguments, `${where}.arguments`),
    result: {
      content: string(result, 'content', `${where}.result`),
      is_error: result.is_error,
      ...(result.duration_ms === undefined ? {} : { duration_ms: number(result, 'duration_ms', `${where}.result`) }),
    },
  };
  if (raw.provider_metadata !== undefined) call.provider_metadata = record(raw.provider_metadata, `${where}.provider_metadata`);
  return call;
}

function usage(value: unknown, where: string): StoredUsage {
  const raw = record(value, where);
  const result: StoredUsage = { input_tokens: number(raw, 'input_tokens', where), output_tokens: number(raw, 'output_tokens', where) };
  if (raw.cached_input_tokens !== undefined) result.cached_input_tokens = number(raw, 'cached_input_tokens', where);
  if (raw.reasoning_tokens !== undefined) result.reasoning_tokens = number(raw, 'reasoning_tokens', where);
  return result;
}

function record(value: unknown, where: string): Raw {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CorruptConversation(`${where} must be an object`);
  return value as Raw;
}

function string(raw: Raw, key: string, where?: string): string {
  const value = raw[key];
  if (typeof value !== 'string') throw new CorruptConversation(`${where ? `${where}.` : ''}${key} must be a string`);
  return value;
}

function nullableString(raw: Raw, key: string, where: string): string | null {
  const value = raw[key];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new CorruptConversation(`${where}.${key} must be a string or null`);
  return value;
}

function number(raw: Raw, key: string, where: string): number {
  const value = raw[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new CorruptConversation(`${where}.${key} must be a number ≥ 0`);
  return value;
}

function integer(raw: Raw, key: string, where: string): number {
  const value = number(raw, key, where);
  if (!Number.isInteger(value)) throw new CorruptConversation(`${where}.${key} must be a whole number`);
  return value;
}

function nullableNumber(raw: Raw, key: string, where: string): number | null {
  return raw[key] === null || raw[key] === undefined ? null : number(raw, key, where);
}

function time(raw: Raw, key: string, where?: string): string {
  const value = string(raw, key, where);
  if (Number.isNaN(Date.parse(value))) throw new CorruptConversation(`${where ? `${where}.` : ''}${key} must be an ISO 8601 time`);
  return value;
}
