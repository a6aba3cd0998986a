/**
 * A conversation as it is kept on disk (conversations/conversation.schema.json describes the
 * file): the system prompt it was held under, and every message with the model that wrote it,
 * its usage and cost. Keys are snake_case because this is the file format, like `ask --json`.
 * The functions here are pure; the store reads and writes files.
 */
import type { FinishReason, Message, ToolCall, ToolResult, Usage } from '../providers/spec.js';

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

/**
 * The reply half of an exchange. CallResult (src/orchestrator) fits this shape, so the
 * orchestrator's result can be passed as is without this module depending on it.
 */
export interface ReplyInput {
  provider: string;
  modelId: string;
  responseModel?: string | undefined;
  text: string;
  finishReason: FinishReason | undefined;
  usage: Usage | undefined;
  costUsd: number | undefined;
  durationMs: number;
  status: 'ok' | 'error' | 'aborted';
  error?: { name: string; message: string } | undefined;
}

/** One step of a tool loop: the reply that called tools, and the results it was given (same order). */
export interface ToolStepInput {
  reply: ReplyInput;
  toolCalls: readonly ToolCall[];
  results: ReadonlyArray<ToolResult & { durationMs?: number }>;
}

/**
 * Appends one prompt and what answered it: the tool steps (when tools were used), then the reply.
 * `reply` is undefined when the exchange stopped at a tool step (a tool limit). Returns a new
 * conversation (the input is not changed).
 */
export function appendExchange(
  conversation: Conversation,
  exchange: { prompt: string; reply: ReplyInput | undefined; toolSteps?: readonly ToolStepInput[]; modelRef?: string; now?: Date },
): Conversation {
  const now = exchange.now ?? new Date();
  const { reply } = exchange;
  const steps = exchange.toolSteps ?? [];
  // Times are reconstructed backwards from now: each reply ended its own duration after the last.
  let clock = now.getTime() - (reply?.durationMs ?? 0) - steps.reduce((total, step) => total + step.reply.durationMs, 0);
  const added: ConversationMessage[] = [{ role: 'user', content: exchange.prompt, created_at: new Date(clock).toISOString() }];
  for (const step of steps) {
    clock += step.reply.durationMs;
    added.push({ ...assistantMessage(step.reply, new Date(clock)), tool_calls: storedToolCalls(step) });
  }
  if (reply) added.push(assistantMessage(reply, now));
  return {
    ...conversation,
    title: conversation.title || titleFrom(exchange.prompt),
    updated_at: now.toISOString(),
    model: exchange.modelRef ?? conversation.model,
    messages: [...conversation.messages, ...added],
  };
}

function assistantMessage(reply: ReplyInput, end: Date): AssistantMessage {
  return {
    role: 'assistant',
    content: reply.text,
    created_at: end.toISOString(),
    provider: reply.provider,
    model: reply.modelId,
    ...(reply.responseModel && reply.responseModel !== reply.modelId ? { response_model: reply.responseModel } : {}),
    finish_reason: reply.finishReason ?? null,
    usage: reply.usage ? storedUsage(reply.usage) : null,
    cost_usd: reply.costUsd ?? null,
    duration_ms: reply.durationMs,
    ...(reply.status === 'aborted' ? { interrupted: true } : {}),
    ...(reply.status === 'error' && reply.error ? { error: { kind: reply.error.name, message: reply.error.message } } : {}),
  };
}

function storedToolCalls(step: ToolStepInput): StoredToolCall[] {
  return step.toolCalls.map((call) => {
    const result = step.results.find((item) => item.toolCallId === call.id);
    return {
      id: call.id,
      name: call.name,
      arguments: call.arguments,
      ...(call.providerMetadata ? { provider_metadata: call.providerMetadata } : {}),
      result: {
        content: result?.content ?? 'llmo did not run this call',
        is_error: result ? (result.isError ?? false) : true,
        ...(result?.durationMs === undefined ? {} : { duration_ms: result.durationMs }),
      },
    };
  });
}

/**
 * Drops the last prompt and every reply to it, tool steps included (for /retry); returns the
 * prompt with the shorter conversation.
 */
export function removeLastExchange(conversation: Conversation): { conversation: Conversation; prompt: string } | undefined {
  const messages = conversation.messages;
  if (messages.at(-1)?.role !== 'assistant') return undefined;
  const start = messages.findLastIndex((message) => message.role === 'user');
  if (start < 0) return undefined;
  return { conversation: { ...conversation, messages: messages.slice(0, start) }, prompt: messages[start]!.content };
}

function storedUsage(usage: Usage): StoredUsage {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    ...(usage.cachedInputTokens ? { cached_input_tokens: usage.cachedInputTokens } : {}),
    ...(usage.reasoningTokens ? { reasoning_tokens: usage.reasoningTokens } : {}),
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

export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  /** Sum of the priced replies; undefined when none was priced. */
  costUsd: number | undefined;
  replies: number;
  /** Replies with usage but no cost: the model has no prices in models.yaml. */
  unpricedReplies: number;
  /** Replies the vendor reported no usage for (most often interrupted ones). */
  unreportedReplies: number;
}

/** Tokens and cost of a list of replies. */
export function totalUsage(messages: readonly ConversationMessage[]): UsageTotals {
  const totals: UsageTotals = { inputTokens: 0, outputTokens: 0, costUsd: undefined, replies: 0, unpricedReplies: 0, unreportedReplies: 0 };
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    totals.replies += 1;
    totals.inputTokens += message.usage?.input_tokens ?? 0;
    totals.outputTokens += message.usage?.output_tokens ?? 0;
    if (message.usage === null) totals.unreportedReplies += 1;
    else if (message.cost_usd === null) totals.unpricedReplies += 1;
    else totals.costUsd = roundUsd((totals.costUsd ?? 0) + message.cost_usd);
  }
  return totals;
}

/** Totals per `provider:model`, in the order models were first used. */
export function usageByModel(messages: readonly ConversationMessage[]): Map<string, UsageTotals> {
  const groups = new Map<string, AssistantMessage[]>();
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    const key = `${message.provider}:${message.model}`;
    groups.set(key, [...(groups.get(key) ?? []), message]);
  }
  return new Map([...groups].map(([key, replies]) => [key, totalUsage(replies)]));
}

function roundUsd(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

/** The last reply, if any. */
export function lastReply(conversation: Conversation): AssistantMessage | undefined {
  for (let index = conversation.messages.length - 1; index >= 0; index -= 1) {
    const message = conversation.messages[index]!;
    if (message.role === 'assistant') return message;
  }
  return undefined;
}
