/**
 * The tool loop's records and sums: what a refused or skipped call tells the model, a run as one
 * call or as a conversation's exchange, results cut to size, and the steps' usage and cost added up.
 */
import type { ToolStepInput } from '../conversations/index.js';
import type { ToolCall, ToolResult, Usage } from '../providers/spec.js';
import { roundUsd } from '../usage/pricing.js';
import type { CallResult } from './call-model.js';
import type { ToolCallRecord, ToolLoopResult } from './tool-loop-types.js';

export function refusal(step: number, call: ToolCall, why: 'deny' | 'no-terminal'): ToolCallRecord {
  const reason = why === 'deny' ? 'the tool policy denies it' : 'it needs approval and no one is there to give it';
  return { step, call, status: 'refused', content: `llmo did not run ${call.name}: ${reason}`, isError: true, durationMs: 0 };
}

export function notRun(step: number, call: ToolCall, why: string): ToolCallRecord {
  return { step, call, status: 'not-run', content: `llmo did not run ${call.name}: ${why}`, isError: true, durationMs: 0 };
}

/** A tool loop as one call: the answer's text, every step's usage and cost, the loop's verdict. */
export function loopResult(run: ToolLoopResult): CallResult {
  return {
    ...run.final,
    usage: run.usage,
    costUsd: run.costUsd,
    durationMs: run.durationMs,
    status: run.error ? (run.final.status === 'aborted' ? 'aborted' : 'error') : run.final.status,
    error: run.error,
  };
}

/** A run as a conversation keeps it: the steps that called tools, then the answer (if it came). */
export function exchangeOf(run: ToolLoopResult): { reply: CallResult | undefined; toolSteps: ToolStepInput[] } {
  const toolSteps = run.steps
    .filter((step) => step.records.length > 0)
    .map((step) => ({
      reply: step.result,
      toolCalls: step.result.toolCalls,
      results: step.records.map((record) => ({ ...toolResult(record), durationMs: record.durationMs })),
    }));
  const last = run.steps.at(-1)!;
  return { reply: last.records.length > 0 ? undefined : last.result, toolSteps };
}

export function toolResult(record: ToolCallRecord): ToolResult {
  return {
    toolCallId: record.call.id,
    name: record.call.name,
    content: record.content,
    ...(record.isError ? { isError: true } : {}),
  };
}

/** A result over the cap keeps its start and tells the model how much it is not seeing. */
export function truncate(content: string, maxChars: number): string {
  if (content.length <= maxChars) return content;
  return `${content.slice(0, maxChars)}\n[llmo: this result was cut to its first ${maxChars} of ${content.length} characters]`;
}

/** JSON with sorted keys, so the same arguments in another order count as the same call. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => stableJson(item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The start of a text on one line, for messages and listings. */
export function excerpt(text: string, maxChars: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > maxChars ? `${line.slice(0, maxChars - 1)}…` : line;
}

export function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

export function sumUsage(usages: ReadonlyArray<Usage | undefined>): Usage | undefined {
  const reported = usages.filter((usage): usage is Usage => usage !== undefined);
  if (reported.length === 0) return undefined;
  const total: Usage = { inputTokens: 0, outputTokens: 0 };
  for (const usage of reported) {
    total.inputTokens += usage.inputTokens;
    total.outputTokens += usage.outputTokens;
    if (usage.cachedInputTokens !== undefined) total.cachedInputTokens = (total.cachedInputTokens ?? 0) + usage.cachedInputTokens;
    if (usage.cacheWriteTokens !== undefined) total.cacheWriteTokens = (total.cacheWriteTokens ?? 0) + usage.cacheWriteTokens;
    if (usage.reasoningTokens !== undefined) total.reasoningTokens = (total.reasoningTokens ?? 0) + usage.reasoningTokens;
  }
  return total;
}

export function sumCost(costs: ReadonlyArray<number | undefined>): number | undefined {
  const priced = costs.filter((cost): cost is number => cost !== undefined);
  if (priced.length === 0) return undefined;
  return roundUsd(priced.reduce((total, cost) => total + cost, 0));
}
