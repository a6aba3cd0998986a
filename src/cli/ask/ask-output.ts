/**
 * What `llmo ask` prints besides the streamed answer: the `--json` object, the `--stream-json`
 * events (one JSON object a line, DESIGN.md "Second edition"), and the tool-call lines on stderr.
 */
import type { LlmoError } from '../../errors.js';
import type { CallResult } from '../../orchestrator/call-model.js';
import { excerpt, type ToolCallRecord, type ToolLoopEvent, type ToolLoopResult } from '../../orchestrator/run-tool-loop.js';
import type { Usage } from '../../providers/spec.js';
import { usageJsonFields } from '../../usage/usage-record.js';

/** A reply as ask reports it: one call, or a tool loop summed over its steps. */
export interface AskAnswer {
  /** The last model call (the answer, or where the run stopped). */
  final: CallResult;
  usage: Usage | undefined;
  costUsd: number | undefined;
  durationMs: number;
  toolCalls: ToolCallRecord[] | undefined;
  steps: number;
  error: LlmoError | undefined;
}

export function answerOfCall(result: CallResult): AskAnswer {
  return {
    final: result,
    usage: result.usage,
    costUsd: result.costUsd,
    durationMs: result.durationMs,
    toolCalls: undefined,
    steps: 1,
    error: result.error,
  };
}

export function answerOfLoop(run: ToolLoopResult): AskAnswer {
  return {
    final: run.final,
    usage: run.usage,
    costUsd: run.costUsd,
    durationMs: run.durationMs,
    toolCalls: run.toolCalls,
    steps: run.steps.length,
    error: run.error,
  };
}

/** How much of a tool result `--json` and `--stream-json` show. */
const RESULT_EXCERPT = 500;

/** The `--json` object (also the final `result` event of `--stream-json`). */
export function askJson(answer: AskAnswer, conversationId: string | undefined): Record<string, unknown> {
  const { final, usage } = answer;
  return {
    provider: final.provider,
    model: final.responseModel ?? final.modelId,
    text: final.text,
    finish_reason: final.finishReason ?? (final.status === 'aborted' ? 'aborted' : 'error'),
    usage: usageJsonFields(usage),
    cost_usd: answer.costUsd ?? null,
    duration_ms: answer.durationMs,
    conversation_id: conversationId ?? null,
    ...(answer.toolCalls
      ? {
          steps: answer.steps,
          tool_calls: answer.toolCalls.map((record) => ({
            id: record.call.id,
            name: record.call.name,
            arguments: record.call.arguments,
            status: record.status,
            result: excerpt(record.content, RESULT_EXCERPT),
            is_error: record.isError,
            duration_ms: record.durationMs,
          })),
        }
      : {}),
    // Like error, only when it applies: the DESIGN.md field list stays as it is for a plain call.
    ...(final.cached ? { cached: true } : {}),
    ...(final.savedUsd ? { cache_saved_usd: final.savedUsd } : {}),
    ...(final.routed ? { routed: final.routed.mode, route_reason: final.routed.reason } : {}),
    ...(answer.error ? { error: { kind: answer.error.name, message: answer.error.message } } : {}),
  };
}

/** One `--stream-json` line. */
export function writeEvent(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

/** The `--stream-json` events of a tool loop event (calls as asked, results as given). */
export function toolEvent(event: ToolLoopEvent): Record<string, unknown> | undefined {
  switch (event.type) {
    case 'tool-call':
      return { type: 'tool_call', id: event.call.id, name: event.call.name, arguments: event.call.arguments };
    case 'tool-result':
      return {
        type: 'tool_result',
        id: event.record.call.id,
        name: event.record.call.name,
        status: event.record.status,
        is_error: event.record.isError,
        content: excerpt(event.record.content, RESULT_EXCERPT),
        duration_ms: event.record.durationMs,
      };
    default:
      return undefined;
  }
}
