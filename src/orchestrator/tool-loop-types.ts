/** What the tool loop (run-tool-loop.ts) is given and gives back: its options, events and records. */
import type { LlmoError } from '../errors.js';
import type { Message, ToolCall, Usage } from '../providers/spec.js';
import type { CallOptions, CallResult } from './call-model.js';
import type { HostedTool, ToolHost } from './tool-host.js';
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
    | 'resolved'
    | 'request'
    | 'source'
    | 'accounting'
    | 'retry'
    | 'stream'
    | 'signal'
    | 'timeoutMs'
    | 'onText'
    | 'onReasoning'
    | 'onWarning'
    | 'yieldEveryMs'
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
