/**
 * A conversation as it is kept on disk (conversations/conversation.schema.json describes the
 * file): the system prompt it was held under, and every message with the model that wrote it,
 * its usage and cost. Keys are snake_case because this is the file format, like `ask --json`.
 * The functions here are pure; the store reads and writes files.
 */
import type { FinishReason } from '../providers/spec.js';

export const CONVERSATION_VERSION = 1;

export type ConversationOrigin = 'chat' | 'ask';

/** What the system prompt was made of: a persona, a role and free text, and what they composed. */
export interface ConversationSystem {
  prompt: string | null;
  persona: string | null;
  role: string | null;
  text: string | null;
}

export interface UserMessage {
  role: 'user';
  content: string;
  created_at: string;
  /**
   * Images and PDFs sent with this prompt (/attach, @path): named, not kept. The chat that
   * attached them sends them again with later prompts; a resumed conversation says they were there.
   */
  attachments?: StoredAttachment[];
}

export interface StoredAttachment {
  name: string;
  media_type: string;
  bytes: number;
}

/** Where a branch (/fork, /edit) came from: the conversation, and how many of its turns it starts with. */
export interface ConversationParent {
  id: string;
  turn: number;
}

/**
 * The older messages as the model now sees them: one summary in place of the first `messages`
 * (the file still holds them all). Set when the conversation neared the model's context window.
 */
export interface ConversationCompression {
  messages: number;
  summary: string;
  /** `provider:model` that wrote the summary. */
  model: string;
  created_at: string;
}

export interface StoredUsage {
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens?: number;
  reasoning_tokens?: number;
}

export interface AssistantMessage {
  role: 'assistant';
  content: string;
  created_at: string;
  provider: string;
  model: string;
  /** The model the vendor says answered, when it said. */
  response_model?: string;
  finish_reason: FinishReason | null;
  usage: StoredUsage | null;
  /** USD; null when the model has no prices or the vendor sent no usage. */
  cost_usd: number | null;
  duration_ms: number;
  /** Stopped by the user (Ctrl-C) before the reply finished: content is partial. */
  interrupted?: boolean;
  /** The reply failed part-way: content is partial. */
  error?: { kind: string; message: string };
  /**
   * The tools this reply called, each with the result it was given. Another reply follows, which
   * the model wrote after reading the results (unless a tool limit stopped the exchange).
   */
  tool_calls?: StoredToolCall[];
}

/** A tool call and its result as the file keeps them: vendor-neutral, so another vendor can carry on. */
export interface StoredToolCall {
  id: string;
  /** `server.tool`. */
  name: string;
  arguments: Record<string, unknown>;
  /** Opaque data the vendor wants back with the call (Gemini's thoughtSignature); other vendors ignore it. */
  provider_metadata?: Record<string, unknown>;
  result: {
    /** What the model was given (a cut result carries llmo's note). */
    content: string;
    is_error: boolean;
    duration_ms?: number;
  };
}

export type ConversationMessage = UserMessage | AssistantMessage;

export interface Conversation {
  version: typeof CONVERSATION_VERSION;
  /** `chat_YYYYMMDD_HHMMSS[_n]`; undefined until the store first saves it. */
  id: string | undefined;
  title: string;
  created_at: string;
  updated_at: string;
  origin: ConversationOrigin;
  /** The model reference used last (`anthropic:claude-sonnet-4-5`), so -c carries on with it. */
  model: string;
  system: ConversationSystem;
  messages: ConversationMessage[];
  parent?: ConversationParent;
  compressed?: ConversationCompression;
}

export const NO_SYSTEM: ConversationSystem = { prompt: null, persona: null, role: null, text: null };

export function createConversation(options: {
  origin: ConversationOrigin;
  model: string;
  system?: ConversationSystem;
  now?: Date;
}): Conversation {
  const time = (options.now ?? new Date()).toISOString();
  return {
    version: CONVERSATION_VERSION,
    id: undefined,
    title: '',
    created_at: time,
    updated_at: time,
    origin: options.origin,
    model: options.model,
    system: options.system ?? { ...NO_SYSTEM },
    messages: [],
  };
}

/** A title from the first prompt: its first non-empty line, cut at a word near 60 characters. */
export function titleFrom(prompt: string, limit = 60): string {
  const line =
    prompt
      .split('\n')
      .map((text) => text.trim())
      .find((text) => text !== '') ?? '';
  const collapsed = line.replace(/\s+/g, ' ');
  if (collapsed.length <= limit) return collapsed;
  const cut = collapsed.slice(0, limit);
  const space = cut.lastIndexOf(' ');
  return `${(space > limit / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The last reply, if any. */
export function lastReply(conversation: Conversation): AssistantMessage | undefined {
  for (let index = conversation.messages.length - 1; index >= 0; index -= 1) {
    const message = conversation.messages[index]!;
    if (message.role === 'assistant') return message;
  }
  return undefined;
}
