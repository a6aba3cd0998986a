/**
 * The worst case of a call before it is made, for budget checks. No vendor tokenizer ships with
 * llmo (each is a large download, and Anthropic's and Gemini's are not public), so prompt tokens
 * are estimated on the high side; output is bounded exactly by max_tokens.
 */
import { type Message, messageText, type Usage } from '../providers/spec.js';
import type { PlannedCall } from './accounting.js';
import { roundUsd } from './pricing.js';

/**
 * Used when neither the request nor models.yaml gives max_tokens. It matches what the Anthropic
 * adapter asks for by default; priced models in the shipped models.yaml all carry their own.
 */
export const FALLBACK_MAX_TOKENS = 4096;

/** Per message: the role and the vendor's framing tokens (OpenAI documents 3–4). */
export const MESSAGE_OVERHEAD_TOKENS = 5;
/**
 * Per request: what vendors add around the messages. In the recorded responses the most was 31
 * tokens (Anthropic with thinking enabled: 45 tokens reported for a 14-character prompt);
 * Mistral adds about 17 to every request.
 */
export const REQUEST_OVERHEAD_TOKENS = 40;

/**
 * ASCII text counts one token per 3 characters and other text one token per 2 UTF-8 bytes.
 * That is conservative: BPE tokenizers average about 4 characters a token on English prose
 * (≈ 3.5 for Claude, ≈ 3–3.5 on code), never fewer than 1 byte a token, and common CJK
 * characters (3 bytes) are mostly 1 token each, here 1.5. Over-estimating a few hundred
 * input tokens costs a fraction of a cent, while under-estimating could let a call past a limit.
 */
export function estimatePromptTokens(messages: readonly Message[]): number {
  let tokens = 0;
  for (const message of messages) tokens += estimateTextTokens(budgetText(message));
  return tokens + messages.length * MESSAGE_OVERHEAD_TOKENS + REQUEST_OVERHEAD_TOKENS;
}

/** The tokens of one piece of text, on the same high side as estimatePromptTokens. */
export function estimateTextTokens(text: string): number {
  return Math.ceil(textTokenWeight(text));
}

/** estimateTextTokens before rounding up: the weights of pieces add up to the weight of the pieces joined. */
export function textTokenWeight(text: string): number {
  let ascii = 0;
  let otherBytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) ascii++;
    else if (code < 0x800) otherBytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      // A surrogate pair is one 4-byte code point.
      otherBytes += 4;
      index++;
    } else otherBytes += 3;
  }
  return ascii / 3 + otherBytes / 2;
}

/**
 * Usage for a call the vendor reported none for (an OpenAI-compatible server that ignores
 * include_usage): the prompt as sent and the text that came back, both estimated on the high side,
 * so budgets count the call rather than treat it as free.
 */
export function estimateUsage(messages: readonly Message[], output: string): Usage {
  return { inputTokens: estimatePromptTokens(messages), outputTokens: estimateTextTokens(output) };
}

/** What a message costs as input: its text, plus the calls an assistant message made (names and arguments). */
function budgetText(message: Message): string {
  const text = messageText(message);
  if (message.role !== 'assistant' || !message.toolCalls?.length) return text;
  return `${text}${JSON.stringify(message.toolCalls.map((call) => [call.name, call.arguments]))}`;
}

export interface CallEstimate {
  inputTokens: number;
  outputTokens: number;
  /** Undefined for an unpriced model: its cost cannot be estimated. */
  costUsd: number | undefined;
}

/** Prompt tokens × input price + max output tokens × output price (no cache discount assumed). */
export function estimateCall(call: PlannedCall): CallEstimate {
  // Tool definitions are sent with every step of a tool loop, and large servers' schemas are long.
  const tools = call.request.tools?.length ? estimatePromptTokens([{ role: 'user', content: JSON.stringify(call.request.tools) }]) : 0;
  const inputTokens = estimatePromptTokens(call.request.messages) + tools;
  const outputTokens = call.request.maxTokens ?? call.defaultMaxTokens ?? FALLBACK_MAX_TOKENS;
  const costUsd = call.pricing ? roundUsd((inputTokens * call.pricing.input + outputTokens * call.pricing.output) / 1_000_000) : undefined;
  return { inputTokens, outputTokens, costUsd };
}

/**
 * The fewest tokens a prompt could possibly be, for refusing one that cannot fit a context window
 * before it is sent. The opposite of estimatePromptTokens, which errs high for budgets: here a
 * high guess would refuse prompts that fit, so whitespace counts for nothing (tokenizers fold runs
 * of it into neighbouring tokens) and every 8 other characters count as one token. Natural text
 * and code average 1 to 4.5 characters a token in every vendor's tokenizer; only degenerate input
 * (long runs of one repeated symbol) comes near 8.
 */
export function minimumPromptTokens(messages: readonly Message[]): number {
  let visible = 0;
  for (const message of messages) {
    const text = messageText(message);
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      // A surrogate pair is one character; spaces, tabs and line breaks count for nothing.
      if (code >= 0xdc00 && code <= 0xdfff) continue;
      if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) continue;
      visible++;
    }
  }
  return Math.floor(visible / 8);
}
