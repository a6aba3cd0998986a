/**
 * Adding to a conversation and taking back from it: one exchange (a prompt, the tool steps and
 * the reply) as the file keeps it, and dropping the last exchange for /retry and /edit.
 */
import type { FinishReason, ToolCall, ToolResult, Usage } from '../providers/spec.js';
import {
  titleFrom,
  type AssistantMessage,
  type Conversation,
  type ConversationMessage,
  type StoredAttachment,
  type StoredToolCall,
  type StoredUsage,
} from './conversation.js';

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
  exchange: {
    prompt: string;
    reply: ReplyInput | undefined;
    toolSteps?: readonly ToolStepInput[];
    modelRef?: string;
    now?: Date;
    /** Images and PDFs sent with the prompt (their names are kept, not their bytes). */
    attachments?: readonly StoredAttachment[];
  },
): Conversation {
  const now = exchange.now ?? new Date();
  const { reply } = exchange;
  const steps = exchange.toolSteps ?? [];
  // Times are reconstructed backwards from now: each reply ended its own duration after the last.
  let clock = now.getTime() - (reply?.durationMs ?? 0) - steps.reduce((total, step) => total + step.reply.durationMs, 0);
  const added: ConversationMessage[] = [
    {
      role: 'user',
      content: exchange.prompt,
      created_at: new Date(clock).toISOString(),
      ...(exchange.attachments?.length ? { attachments: [...exchange.attachments] } : {}),
    },
  ];
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

/** A reply as the file keeps it, ended at `end`. */
export function assistantMessage(reply: ReplyInput, end: Date): AssistantMessage {
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
