/**
 * Sends one batch line the way every llmo call goes (budget check, retries, timeout, one usage
 * record with `source: batch` and the batch id) and turns the result into its output line.
 */
import { type CallResult, callModel, type ModelResolver, type ResolvedModel, type Routed } from '../orchestrator/call-model.js';
import { callStructured } from '../orchestrator/call-structured.js';
import type { PreparedSchema } from '../structured/prepare-schema.js';
import type { RetryPolicy } from '../providers/retry.js';
import type { Accounting } from '../usage/accounting.js';
import type { BatchLine } from './batch-line.js';
import { failedOutput, type SendOutcome } from './run-local-batch.js';

/** The model a line goes to: its reference (or -m), or the one `-m auto…` chose for it. */
export interface LineRoute {
  ref: string;
  routed?: Routed | undefined;
}

/** Chooses a line's model from its reference (routing `auto…` references on the line's request). */
export type RouteLine = (ref: string, line: BatchLine) => Promise<LineRoute>;

export interface LineSenderOptions {
  batchId: string;
  /** The -m reference, for lines that name no model of their own. */
  model: string;
  maxTokens?: number | undefined;
  resolve: ModelResolver;
  /** `-m auto…` (or a line's `"model": "auto…"`): the model routing chooses for each line. */
  route?: RouteLine | undefined;
  accounting: Accounting;
  retry: RetryPolicy;
  timeoutMs?: number | undefined;
  /** --schema: each reply must be JSON matching it, sent back up to `repairs` times to be fixed. */
  structured?: { schema: PreparedSchema; repairs: number } | undefined;
}

export function lineSender(options: LineSenderOptions): (line: BatchLine, signal: AbortSignal) => Promise<SendOutcome> {
  // One resolution per reference: the key lookup and the SDK load happen once, not per line.
  const models = new Map<string, Promise<ResolvedModel>>();
  const resolved = (ref: string) => {
    let found = models.get(ref);
    if (!found) {
      found = options.resolve(ref);
      models.set(ref, found);
    }
    return found;
  };
  return async (line, signal) => {
    const ref = line.model ?? options.model;
    let model: ResolvedModel;
    try {
      const route = options.route ? await options.route(ref, line) : { ref };
      model = await resolved(route.ref);
      if (route.routed) model = { ...model, routed: route.routed };
    } catch (error) {
      return { status: 'done', output: failedOutput(line.id, (error as Error).message, ref) };
    }
    const maxTokens = line.maxTokens ?? options.maxTokens;
    const call = {
      resolved: model,
      request: { messages: line.messages, ...(maxTokens !== undefined ? { maxTokens } : {}) },
      source: { kind: 'batch' as const, id: options.batchId, step: String(line.id) },
      accounting: options.accounting,
      retry: options.retry,
      stream: false,
      signal,
      timeoutMs: options.timeoutMs,
    };
    if (options.structured) {
      const structured = await callStructured({ ...call, ...options.structured });
      if (structured.final.status === 'aborted') return { status: 'aborted' };
      return {
        status: 'done',
        output: {
          id: line.id,
          data: structured.valid ? structured.data : null,
          ...usageFields(structured.final, structured.usage, structured.costUsd),
          error: structured.valid ? null : (structured.error?.message ?? 'the reply does not match the schema'),
        },
      };
    }
    const result = await callModel(call);
    if (result.status === 'aborted') return { status: 'aborted' };
    const label = `${result.provider}:${result.modelId}`;
    if (result.status === 'error')
      return {
        status: 'done',
        output: { ...failedOutput(line.id, result.error?.message ?? 'failed', label), cost_usd: result.costUsd ?? null },
      };
    return {
      status: 'done',
      output: {
        id: line.id,
        text: result.text,
        usage: result.usage ? { input_tokens: result.usage.inputTokens, output_tokens: result.usage.outputTokens } : null,
        cost_usd: result.costUsd ?? null,
        model: label,
        error: null,
      },
    };
  };
}

function usageFields(result: CallResult, usage: CallResult['usage'], costUsd: number | undefined) {
  return {
    usage: usage ? { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens } : null,
    cost_usd: costUsd ?? null,
    model: `${result.provider}:${result.modelId}`,
  };
}
