/**
 * The blocks of a chain (`repeat:`, `switch:`) and the conditions that steer them (`when:`,
 * `until:`, `switch.on:`), checked before any call: each expression parsed and its paths checked
 * where it is written (a caret under a mistake), each judge's model resolved.
 */
import type { ModelRef } from '../config/resolve-model-ref.js';
import { ConfigError } from '../errors.js';
import type { ChainBlock, ChainStep, Condition } from './chain-definition.js';
import { checkExpression, expressionPaths } from './expression/check-expression.js';
import { planForeach } from './validate-foreach.js';
import { ExpressionError } from './expression/expression-error.js';
import { parseExpression } from './expression/parse-expression.js';
import type { PlannedBlock, PlannedCondition } from './planned-chain.js';
import type { ReferenceScope } from './validate-references.js';
import { referenceProblem } from './validate-references.js';
import { checkTemplate, failer, referenceScope, type SequenceScope, type ValidationContext } from './validation-context.js';

export function planCondition(
  context: ValidationContext,
  step: ChainStep,
  condition: Condition,
  references: ReferenceScope,
  /** The chain's first step: {{previous}} there reads the input. */
  first = false,
): PlannedCondition {
  const field = condition.at.slice(step.at.length);
  const label = field.filter((part) => typeof part === 'string').join('.');
  if (condition.kind === 'expression') {
    try {
      const expression = parseExpression(condition.source);
      checkExpression(expression, (path, written) => referenceProblem(path, written, references));
      const paths = expressionPaths(expression.tree);
      if (paths.some(({ path }) => path.kind === 'input' || (first && path.kind === 'previous'))) context.readsInput = true;
      return { kind: 'expression', expression };
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      const context_ = context.chain.origin.kind === 'inline' ? '' : `chain "${context.chain.name}", `;
      throw context.chain.origin.error(condition.at, `${context_}step "${step.name}", ${label}: ${error.message}`, error.hint);
    }
  }
  const fail = failer(context.chain, step);
  let model: ModelRef;
  try {
    model = context.options.resolveRef(condition.model);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return fail([...field, 'judge'], error.message, error.hint);
  }
  const about = checkTemplate(context, step, [...field, 'about'], condition.about ?? '{{previous}}', references, first);
  return { kind: 'judge', model, question: condition.question, about, answers: condition.answers };
}

export function planBlock(
  context: ValidationContext,
  step: ChainStep,
  block: ChainBlock,
  scope: SequenceScope,
  previousLabel: string,
): PlannedBlock {
  if (block.kind === 'foreach') return planForeach(context, step, block, scope);
  const outer = referenceScope(context, scope, step.name);
  if (block.kind === 'switch') {
    const on = planCondition(context, step, block.on, outer);
    const inner = (): SequenceScope => ({ ...scope, available: new Map(scope.available), topLevel: false });
    return {
      kind: 'switch',
      on,
      cases: block.cases.map((item) => ({ name: item.name, steps: context.planSequence(item.steps, inner(), previousLabel) })),
      default: block.default ? context.planSequence(block.default, inner(), previousLabel) : undefined,
    };
  }
  // Inside a repeat every step of the block can be read: a later one's output is from the
  // previous iteration ("" on the first), so a draft can read its review.
  const available = new Map(scope.available);
  for (const inner of block.steps) available.set(inner.name, { step: inner, schema: context.schemas.get(inner.name) });
  const innerScope: SequenceScope = { available, inRepeat: true, inForeach: scope.inForeach, topLevel: false };
  const steps = context.planSequence(block.steps, innerScope, previousLabel);
  const until = block.until ? planCondition(context, step, block.until, referenceScope(context, innerScope, step.name)) : undefined;
  // After the block, its steps keep their last iteration's outputs.
  for (const inner of block.steps) scope.available.set(inner.name, { step: inner, schema: context.schemas.get(inner.name) });
  return { kind: 'repeat', maxIterations: block.maxIterations, untilStable: block.untilStable, until, steps };
}
