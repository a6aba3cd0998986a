/**
 * Context compression: when what a chat would send nears the model's context window, the older
 * turns are summarised (by `chat.compress_model`, a cheap model, or the chat's own) into one
 * summary the model is sent instead. The recent turns stay word for word, the system prompt
 * stays, and the conversation file keeps every message: only `compressed` is added to it.
 */
import type { Conversation, ConversationMessage } from '../../conversations/index.js';
import { callModel, type CallResult, type ResolvedModel } from '../../orchestrator/call-model.js';
import type { Message } from '../../providers/spec.js';
import type { RetryPolicy } from '../../providers/retry.js';
import type { Accounting } from '../../usage/accounting.js';
import { estimatePromptTokens, estimateTextTokens } from '../../usage/estimate.js';

/** Compress when a request would fill more than this share of the window (room for the reply). */
export const COMPRESS_AT = 0.75;
/** The recent turns kept word for word take at most this share of the window (the last one always). */
const KEEP_SHARE = 0.35;
/** The summary's length: a share of the window, capped. */
const SUMMARY_SHARE = 0.2;
const SUMMARY_MAX_TOKENS = 1024;

const INSTRUCTIONS = [
  'You compress a conversation between a user and an assistant so that the assistant can carry on without it.',
  'Write concise notes: the facts, names, numbers, decisions, code identifiers and open questions, and what the user wants.',
  'Write only the notes, no preamble.',
].join(' ');

/** Whether these messages fill enough of the window that older turns should be summarised. */
export function nearsWindow(messages: readonly Message[], window: number | undefined): boolean {
  return window !== undefined && window > 0 && estimatePromptTokens(messages) > window * COMPRESS_AT;
}

/**
 * Where the summary should end: the start of the oldest recent turn that, with the turns after
 * it, fits the kept share. Undefined when nothing older than the last turn is left unsummarised.
 */
export function compressionCut(conversation: Conversation, window: number): number | undefined {
  const { messages } = conversation;
  const from = conversation.compressed?.messages ?? 0;
  const starts: number[] = [];
  for (let index = from; index < messages.length; index += 1) if (messages[index]!.role === 'user') starts.push(index);
  if (starts.length < 2) return undefined;
  let cut = starts.at(-1)!;
  let kept = tokensOf(messages.slice(cut));
  for (let turn = starts.length - 2; turn >= 1; turn -= 1) {
    const start = starts[turn]!;
    const more = tokensOf(messages.slice(start, cut));
    if (kept + more > window * KEEP_SHARE) break;
    kept += more;
    cut = start;
  }
  return cut > from ? cut : undefined;
}

function tokensOf(messages: readonly ConversationMessage[]): number {
  return messages.reduce((total, message) => total + estimateTextTokens(message.content), 0);
}

export interface SummariseOptions {
  conversation: Conversation;
  cut: number;
  /** The model that writes the summary. */
  resolved: ResolvedModel;
  /** The chat model's window: the summary is kept to a share of it. */
  window: number;
  accounting: Accounting;
  retry: RetryPolicy;
  signal: AbortSignal;
  timeoutMs?: number | undefined;
}

/**
 * Summarises the messages before `cut` (with the summary already made of what came before them);
 * returns the conversation with its new `compressed`, or the failed call's result.
 */
export async function summariseHistory(
  options: SummariseOptions,
): Promise<{ conversation: Conversation; result: CallResult } | { conversation: undefined; result: CallResult }> {
  const { conversation, cut, resolved } = options;
  const result = await callModel({
    resolved,
    request: {
      messages: [
        { role: 'system', content: INSTRUCTIONS },
        { role: 'user', content: transcript(conversation, cut) },
      ],
      maxTokens: Math.max(64, Math.min(SUMMARY_MAX_TOKENS, Math.floor(options.window * SUMMARY_SHARE))),
    },
    source: { kind: 'chat', ...(conversation.id ? { id: conversation.id } : {}) },
    accounting: options.accounting,
    retry: options.retry,
    stream: false,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
  });
  if (result.status !== 'ok' || result.text.trim() === '') return { conversation: undefined, result };
  return {
    result,
    conversation: {
      ...conversation,
      compressed: {
        messages: cut,
        summary: result.text.trim(),
        model: `${result.provider}:${result.modelId}`,
        created_at: new Date().toISOString(),
      },
    },
  };
}

/** The part to summarise as plain text: an earlier summary first, then each prompt and reply. */
function transcript(conversation: Conversation, cut: number): string {
  const earlier = conversation.compressed;
  const lines: string[] = [];
  if (earlier) lines.push(`Summary of what came before:\n${earlier.summary}`);
  for (const message of conversation.messages.slice(earlier?.messages ?? 0, cut)) {
    if (message.role === 'user') lines.push(`User: ${message.content}`);
    else if (message.content !== '') lines.push(`Assistant: ${message.content}`);
  }
  return lines.join('\n\n');
}
