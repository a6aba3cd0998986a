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
import { BudgetError, InterruptedError, ToolPolicyError, errorMessage, type LlmoError } from '../errors.js';
import type { Message, ToolCall, ToolDefinition } from '../providers/spec.js';
import { callModel, type CallResult } from './call-model.js';
import { mapConcurrent } from './map-concurrent.js';
import type { HostedTool, ToolCallOutcome } from './tool-host.js';
import { excerpt, notRun, refusal, stableJson, sumCost, sumUsage, toolResult, truncate, unique } from './tool-loop-records.js';
import {
  REPEAT_LIMIT,
  TOOL_CONCURRENCY,
  type ToolCallRecord,
  type ToolLoopOptions,
  type ToolLoopResult,
  type ToolLoopStep,
} from './tool-loop-types.js';

// The loop's public face stays here, where its callers look for it.
export { exchangeOf, excerpt, loopResult } from './tool-loop-records.js';
export type {
  ConfirmToolCall,
  ToolCallRecord,
  ToolCallStatus,
  ToolLoopEvent,
  ToolLoopOptions,
  ToolLoopResult,
  ToolLoopStep,
} from './tool-loop-types.js';

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
