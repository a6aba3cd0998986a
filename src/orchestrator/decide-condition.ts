/**
 * Deciding a condition at run time: an expression evaluated over the outputs so far (never as
 * JavaScript), or a judge — one more model call, through the same path as a step's (costed,
 * logged with the chain as its source, budget-checked), asking for a one-word answer.
 */
import { ExitCode, type LlmoError } from '../errors.js';
import type { StepDecision } from './step-decision.js';
import { withProvider } from './describe-error.js';
import { evaluateExpression, isTruthy, textOf } from './expression/evaluate-expression.js';
import type { ExpressionPath, ParsedExpression } from './expression/expression-syntax.js';
import { printPath } from './expression/print-expression.js';
import type { PlannedCondition } from './planned-chain.js';
import { runBranch, type BranchRun } from './run-branch.js';
import type { RunContext } from './run-chain.js';
import type { StepScope } from './run-steps.js';
import { StepFailedError } from './step-failed-error.js';
import { renderWith } from './step-prompt.js';
import type { PlannedStep } from './validate-chain.js';

/** A judge answers in one word; this is enough for it, and keeps its cost small. */
export const JUDGE_MAX_TOKENS = 10;

export interface Decided {
  decision: StepDecision;
  /** The expression's value, or the judge's normalised answer ("yes" / "no" / one of its answers). */
  value: unknown;
  calls: BranchRun[];
  error?: LlmoError | undefined;
  /** The decision in a few words, for the progress line: `score 8 < 7 is false`, `judge said yes`. */
  why: string;
}

export async function decideCondition(
  condition: PlannedCondition,
  step: PlannedStep,
  scope: StepScope,
  context: RunContext,
  kind: 'when' | 'until' | 'switch',
  answers?: readonly string[],
): Promise<Decided> {
  if (condition.kind === 'expression') {
    const read = (path: ExpressionPath) => readPath(path, scope, context);
    const value = evaluateExpression(condition.expression.tree, read);
    const why = explain(condition.expression, value, read);
    return { value, why, calls: [], decision: { kind, expression: condition.expression.source, value, taken: isTruthy(value) } };
  }
  const allowed = condition.answers ?? answers ?? ['yes', 'no'];
  const about = renderWith(context.plan, step, condition.about, {
    input: scope.input,
    outputs: context.outputs,
    previous: scope.previous,
    loop: scope.loop,
    item: scope.item,
  });
  const prompt = `${condition.question}\nAnswer with exactly one word: ${allowed.join(', ')}.\n\n---\n${about}`;
  const model = context.resolved.get(condition.model.ref)!;
  const { options } = context;
  const call = await runBranch({
    models: [model],
    request: { messages: [{ role: 'user', content: prompt }], maxTokens: JUDGE_MAX_TOKENS, temperature: 0 },
    source: { ...options.source, step: `${step.name}:judge` },
    accounting: options.accounting,
    retry: options.retry,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
  });
  const modelName = `${model.provider}:${model.modelId}`;
  if (call.status !== 'ok') {
    const error = new StepFailedError(
      `step "${step.name}": the judge (${modelName}) failed: ${withProvider(call.error)}`,
      call.error?.exitCode ?? ExitCode.provider,
      {
        cause: call.error,
      },
    );
    return { value: undefined, why: 'the judge failed', calls: [call], decision: { kind }, error };
  }
  const answer = firstWord(call.text ?? '');
  const decision: StepDecision = { kind, judge: { model: modelName, answer }, taken: answer === 'yes' };
  if (!allowed.includes(answer)) {
    const said = (call.text ?? '').trim().slice(0, 60);
    const error = new StepFailedError(
      `step "${step.name}": the judge answered "${said}" instead of ${allowed.length === 2 && allowed[0] === 'yes' ? 'yes or no' : `one of ${allowed.join(', ')}`}`,
      ExitCode.provider,
    );
    return { value: answer, why: `judge said ${answer}`, calls: [call], decision, error };
  }
  return { value: answer, why: `judge said ${answer}`, calls: [call], decision };
}

/** The first word of a reply, trimmed of punctuation and case-folded: "Yes." → "yes". */
export function firstWord(text: string): string {
  const word = text.trim().split(/\s+/)[0] ?? '';
  return word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '').toLowerCase();
}

/** The value of a path at this point of the run (what an expression reads). */
export function readPath(path: ExpressionPath, scope: StepScope, context: RunContext): unknown {
  switch (path.kind) {
    case 'input':
      return scope.input;
    case 'previous':
      return scope.previous;
    case 'var':
      return context.plan.vars[path.key];
    case 'step':
      return context.outputs.get(path.step)?.[path.field];
    case 'step-json':
      return walk(context.outputs.get(path.step)?.json, path.path);
    case 'loop':
      return path.field === 'iteration' ? scope.loop?.iteration : scope.loop?.previous;
    case 'item':
      return walk(scope.item?.value, path.path);
    case 'item-index':
      return scope.item?.index;
  }
}

function walk(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * A comparison shows the value it compared (`score 8 < 7 is false`); anything else, the
 * expression and what it came to.
 */
function explain(expression: ParsedExpression, value: unknown, read: (path: ExpressionPath) => unknown): string {
  const { tree, source } = expression;
  if (tree.kind === 'compare' && tree.left.kind === 'path') {
    const name = printPath(tree.left.path).split('.').at(-1);
    const right = source.slice(tree.right.offset, tree.right.offset + tree.right.length);
    return `${name} ${shorten(JSON.stringify(read(tree.left.path) ?? null))} ${tree.operator} ${right} is ${value}`;
  }
  return `${source} is ${shorten(typeof value === 'string' ? JSON.stringify(value) : textOf(value))}`;
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
