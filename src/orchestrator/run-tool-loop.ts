/**
 * The tool loop, the one ask, chat and chains share: call the model with the selected tools, run
 * the calls it asks for through the ToolHost, hand the results back, and repeat until it answers
 * without calling anything. What keeps it safe:
 * - the policy: `allow` calls run (at most 4 at once), `ask` calls run one by one after a person
 *   said yes, `deny` calls — and `ask` calls where no one can be asked — get a refusal the model
 *   can read, and the run then ends with exit 8;
 * - breakers, each ending the run with exit 8 and naming what looped: the step limit, the same
 *   call with the same arguments a third time, the same tool error a third time;
 * - the budget, checked by callModel before every step (exit 6), with the spend of every step
 *   summed in the result.
 * Like callModel, a failure does not throw once a step has run: the result says what happened and
 * keeps every step, so the caller can show and save them.
 */
import type { ToolStepInput } from '../conversations/index.js';
import { BudgetError, InterruptedError, ToolPolicyError, errorMessage, type LlmoError } from '../errors.js';
import type { Message, ToolCall, ToolDefinition, ToolResult, Usage } from '../providers/spec.js';
import { roundUsd } from '../usage/pricing.js';
import { callModel, type CallOptions, type CallResult } from './call-model.js';
import { mapConcurrent } from './map-concurrent.js';
import type { HostedTool, ToolCallOutcome, ToolHost } from './tool-host.js';
import type { ApprovalChoice, ToolPolicy } from './tool-policy.js';

/** Allowed calls of one step that run at once. */
export const TOOL_CONCURRENCY = 4;
/** The third identical call, or the third identical error, stops the run. */
export const REPEAT_LIMIT = 3;

/** Asks a person whether a call may run (a terminal prompt, a picker in chat). */
export type ConfirmToolCall = (request: { call: ToolCall; tool: HostedTool }) => Promise<ApprovalChoice>;

export type ToolCallStatus = 'ran' | 'refused' | 'declined' | 'not-run';

/** One call the model asked for and what became of it. */
export interface ToolCallRecord {
  /** The model call (1-based) that asked for it. */
  step: number;
  call: ToolCall;
  /** ran; refused by the policy; declined by the person asked; not run because the loop stopped. */
  status: ToolCallStatus;
  /** What the model was given (truncated results carry a note saying so). */
  content: string;
  isError: boolean;
  durationMs: number;
}

export interface ToolLoopStep {
  result: CallResult;
  /** The calls this step asked for (none for the answering step). */
  records: ToolCallRecord[];
}

export type ToolLoopEvent =
  | { type: 'step-start'; step: number }
  /** The model asked for a call; `status` says whether it will run. */
  | { type: 'tool-call'; step: number; call: ToolCall }
  | { type: 'tool-result'; step: number; record: ToolCallRecord }
  | { type: 'step-end'; step: number; result: CallResult };

/**
 * A model call's options (the request is the conversation so far and its settings; the loop adds
 * the tools), and the tools'.
 */
export interface ToolLoopOptions
  extends Pick<
    CallOptions,
    'resolved' | 'request' | 'source' | 'accounting' | 'retry' | 'stream' | 'signal' | 'timeoutMs' | 'onText' | 'onReasoning' | 'onWarning'
  > {
  host: ToolHost;
  /** The selected tools: only these are offered to the model. */
  tools: readonly HostedTool[];
  policy: ToolPolicy;
  /** Undefined where no one can be asked (no terminal): only `allow` calls run. */
  confirm: ConfirmToolCall | undefined;
  maxSteps: number;
  maxResultChars: number;
  onEvent?: ((event: ToolLoopEvent) => void) | undefined;
}

export interface ToolLoopResult {
  steps: ToolLoopStep[];
  /** The last model call: the answer, or the step the run stopped at. */
  final: CallResult;
  /** Every call of every step, in order. */
  toolCalls: ToolCallRecord[];
  /** Summed over the steps; undefined when no step reported usage. */
  usage: Usage | undefined;
  /** Summed over the priced steps; undefined when none was priced. */
  costUsd: number | undefined;
  durationMs: number;
  /** What the run added after the request's messages: assistant turns with calls, tool results, the answer. */
  messages: Message[];
  /** Why the run is not a plain success (the final call's error, a ToolPolicyError, a BudgetError…). */
  error: LlmoError | undefined;
}

export async function runToolLoop(options: ToolLoopOptions): Promise<ToolLoopResult> {
  const started = Date.now();
  const run = new LoopState(options);
  const definitions: ToolDefinition[] = options.tools.map((tool) => ({
    name: tool.name,
    ...(tool.description ? { description: tool.description } : {}),
    inputSchema: tool.inputSchema,
  }));

  for (let step = 1; ; step += 1) {
    options.onEvent?.({ type: 'step-start', step });
    let result: CallResult;
    try {
      const { host, tools, policy, confirm, maxSteps, maxResultChars, onEvent, ...call } = options;
      result = await callModel({
        ...call,
        request: {
          ...options.request,
          messages: [...options.request.messages, ...run.messages],
          ...(definitions.length ? { tools: definitions } : {}),
        },
      });
    } catch (error) {
      // Refused before the first call: nothing happened, so it is the command's error as it is.
      if (!(error instanceof BudgetError) || run.steps.length === 0) throw error;
      return run.finish(started, error);
    }
    const current: ToolLoopStep = { result, records: [] };
    run.steps.push(current);
    if (result.status !== 'ok' || result.toolCalls.length === 0) {
      if (result.status === 'ok' || result.text !== '') run.messages.push({ role: 'assistant', content: result.text });
      options.onEvent?.({ type: 'step-end', step, result });
      return run.finish(started, result.error);
    }

    run.messages.push({ role: 'assistant', content: result.text, toolCalls: result.toolCalls });
    const stop = await run.runCalls(step, result.toolCalls, current.records);
    run.messages.push({ role: 'tool', results: current.records.map((record) => toolResult(record)) });
    options.onEvent?.({ type: 'step-end', step, result });
    if (stop) return run.finish(started, stop);
  }
}

class LoopState {
  readonly steps: ToolLoopStep[] = [];
  readonly messages: Message[] = [];
  readonly #callCounts = new Map<string, number>();
  readonly #errorCounts = new Map<string, number>();
  /** Calls refused by the policy (not by a person): the run ends with exit 8 once the model has answered. */
  readonly #refused: Array<{ name: string; why: 'deny' | 'no-terminal' }> = [];
  readonly #tools: Map<string, HostedTool>;

  constructor(private readonly options: ToolLoopOptions) {
    this.#tools = new Map(options.tools.map((tool) => [tool.name, tool]));
  }

  /** Runs one step's calls into `records` (in the calls' order); returns why the loop must stop, if it must. */
  async runCalls(step: number, calls: readonly ToolCall[], records: ToolCallRecord[]): Promise<LlmoError | undefined> {
    const { options } = this;
    const slots: Array<ToolCallRecord | undefined> = calls.map(() => undefined);
    const settle = (index: number, record: ToolCallRecord) => {
      slots[index] = record;
      options.onEvent?.({ type: 'tool-result', step, record });
    };
    const stopEarly = (why: string, reason: LlmoError): LlmoError => {
      calls.forEach((call, index) => {
        if (!slots[index]) settle(index, notRun(step, call, why));
      });
      records.push(...(slots as ToolCallRecord[]));
      return reason;
    };
    for (const call of calls) options.onEvent?.({ type: 'tool-call', step, call });

    if (step >= options.maxSteps) {
      const names = unique(calls.map((call) => call.name)).join(', ');
      return stopEarly(
        'the step limit was reached',
        new ToolPolicyError(`stopped after ${options.maxSteps} steps: the model still wanted to call ${names}`, {
          hint: 'raise the limit with --max-steps N (or tools.max_steps in config.yaml)',
        }),
      );
    }
    for (const call of calls) {
      const key = `${call.name} ${stableJson(call.arguments)}`;
      const count = (this.#callCounts.get(key) ?? 0) + 1;
      this.#callCounts.set(key, count);
      if (count >= REPEAT_LIMIT) {
        return stopEarly(
          'the same call was repeated',
          new ToolPolicyError(
            `stopped a loop: the model called ${call.name} with the same arguments ${count} times (${excerpt(stableJson(call.arguments), 120)})`,
          ),
        );
      }
    }

    const allowed: number[] = [];
    const toConfirm: number[] = [];
    calls.forEach((call, index) => {
      if (!this.#tools.has(call.name)) {
        const known = [...this.#tools.keys()];
        settle(index, {
          step,
          call,
          status: 'refused',
          content: `there is no tool named ${call.name}; the tools available are ${known.join(', ') || 'none'}`,
          isError: true,
          durationMs: 0,
        });
        return;
      }
      const decision = options.policy.decide(call.name);
      if (decision === 'allow') allowed.push(index);
      else if (decision === 'ask' && options.confirm) toConfirm.push(index);
      else {
        const why = decision === 'deny' ? 'deny' : 'no-terminal';
        this.#refused.push({ name: call.name, why });
        settle(index, refusal(step, call, why));
      }
    });

    try {
      // Calls needing a yes are asked and run one by one, so each question is about one call.
      for (const index of toConfirm) {
        const call = calls[index]!;
        const choice = await options.confirm!({ call, tool: this.#tools.get(call.name)! });
        if (choice === 'deny') {
          settle(index, { step, call, status: 'declined', content: `the user declined to run ${call.name}`, isError: true, durationMs: 0 });
          continue;
        }
        if (choice === 'session' || choice === 'always') options.policy.allowForSession(call.name);
        settle(index, await this.#callTool(step, call));
      }
      await mapConcurrent(
        allowed,
        async (index) => {
          settle(index, await this.#callTool(step, calls[index]!));
        },
        { concurrency: TOOL_CONCURRENCY, ...(options.signal ? { signal: options.signal } : {}) },
      );
    } catch (error) {
      if (!options.signal?.aborted) throw error;
      return stopEarly('the run was interrupted', new InterruptedError('interrupted while tools were running'));
    }
    records.push(...(slots as ToolCallRecord[]));

    for (const record of records) {
      if (record.status !== 'ran' || !record.isError) continue;
      const key = `${record.call.name} ${record.content}`;
      const count = (this.#errorCounts.get(key) ?? 0) + 1;
      this.#errorCounts.set(key, count);
      if (count >= REPEAT_LIMIT) {
        return new ToolPolicyError(
          `stopped a loop: ${record.call.name} failed ${count} times with the same error: ${excerpt(record.content, 160)}`,
        );
      }
    }
    return undefined;
  }

  async #callTool(step: number, call: ToolCall): Promise<ToolCallRecord> {
    const { options } = this;
    const started = Date.now();
    let outcome: ToolCallOutcome;
    try {
      outcome = await options.host.callTool(call.name, call.arguments, { signal: options.signal });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      // A server that cannot be reached or died: the model is told, and the person too.
      const message = errorMessage(error);
      options.onWarning?.(message);
      outcome = { content: `the tool could not be run: ${message}`, isError: true, durationMs: Date.now() - started };
    }
    return {
      step,
      call,
      status: 'ran',
      content: truncate(outcome.content, options.maxResultChars),
      isError: outcome.isError,
      durationMs: outcome.durationMs,
    };
  }

  finish(started: number, error: LlmoError | undefined): ToolLoopResult {
    const final = this.steps.at(-1)!.result;
    const toolCalls = this.steps.flatMap((step) => step.records);
    return {
      steps: this.steps,
      final,
      toolCalls,
      usage: sumUsage(this.steps.map((step) => step.result.usage)),
      costUsd: sumCost(this.steps.map((step) => step.result.costUsd)),
      durationMs: Date.now() - started,
      messages: this.messages,
      error: error ?? this.#policyError(),
    };
  }

  #policyError(): ToolPolicyError | undefined {
    if (this.#refused.length === 0) return undefined;
    const names = unique(this.#refused.map((refusal) => refusal.name));
    const noTerminal = this.#refused.some((refusal) => refusal.why === 'no-terminal');
    return new ToolPolicyError(
      `the tool policy refused ${names.join(', ')}${noTerminal ? ' (it needs approval and there is no terminal to ask on)' : ''}; the model was told`,
      {
        hint: `allow it with --approve '${names[0]}' (or --yes for every tool not denied), or add "${names[0]}": allow under tools.policy in config.yaml`,
      },
    );
  }
}

function refusal(step: number, call: ToolCall, why: 'deny' | 'no-terminal'): ToolCallRecord {
  const reason = why === 'deny' ? 'the tool policy denies it' : 'it needs approval and no one is there to give it';
  return { step, call, status: 'refused', content: `llmo did not run ${call.name}: ${reason}`, isError: true, durationMs: 0 };
}

function notRun(step: number, call: ToolCall, why: string): ToolCallRecord {
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

function unique(names: readonly string[]): string[] {
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

function sumCost(costs: ReadonlyArray<number | undefined>): number | undefined {
  const priced = costs.filter((cost): cost is number => cost !== undefined);
  if (priced.length === 0) return undefined;
  return roundUsd(priced.reduce((total, cost) => total + cost, 0));
}
