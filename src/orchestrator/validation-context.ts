/**
 * What validating a chain carries from step to step, and the checks that blocks and plain steps
 * share: a template or a reference checked where it is written, an error pointed at a field.
 */
import type { LoadedSchema } from '../structured/load-schema.js';
import type { ChainDefinition, ChainStep, FieldPath, ValueRange } from './chain-definition.js';
import type { PlannedStep } from './planned-chain.js';
import { parseTemplate, TemplateSyntaxError, variables, type TemplatePart } from './template.js';
import type { ValidateOptions } from './validate-chain.js';
import { referenceProblem, type ReferenceScope } from './validate-references.js';

export interface ValidationContext {
  chain: ChainDefinition;
  options: ValidateOptions;
  vars: Record<string, string>;
  /** Every step name, depth first. */
  order: string[];
  /** Each step's schema, loaded once. */
  schemas: Map<string, LoadedSchema | undefined>;
  /** Planned steps in `index` order, filled as validation goes. */
  allSteps: PlannedStep[];
  readsInput: boolean;
  /** Names met so far, for the duplicate check. */
  seen: Set<string>;
  /** Validates a list of steps (a block's inner steps) in a scope. */
  planSequence(steps: readonly ChainStep[], scope: SequenceScope, firstLabel: string): PlannedStep[];
}

/** Where a list of steps is written: what has run before it, and the block variables in scope. */
export interface SequenceScope {
  /** Steps finished before the next one runs; the sequence adds each of its steps as it goes. */
  available: Map<string, { step: ChainStep; schema: LoadedSchema | undefined }>;
  inRepeat: boolean;
  inForeach: boolean;
  /** The chain's own steps (where `{{previous}}` in the first one reads the input). */
  topLevel: boolean;
}

/** A template checked where it is written; whether it reads the input is noted on the context. */
export function checkTemplate(
  context: ValidationContext,
  step: ChainStep,
  field: FieldPath,
  text: string,
  references: ReferenceScope,
  first: boolean,
): TemplatePart[] {
  const fail = failer(context.chain, step);
  const template = parseStepTemplate(text, (message, within) => fail(field, message, undefined, within));
  for (const { variable, source, offset } of variables(template)) {
    if (variable.kind === 'input' || (variable.kind === 'previous' && first)) context.readsInput = true;
    const problem = referenceProblem(variable, source, references);
    if (problem) fail(field, problem.message, problem.hint, { offset, length: source.length });
  }
  return template;
}

export function referenceScope(context: ValidationContext, scope: SequenceScope, self: string | undefined): ReferenceScope {
  return {
    order: context.order,
    available: scope.available,
    self,
    inRepeat: scope.inRepeat,
    inForeach: scope.inForeach,
    vars: context.vars,
    checkVars: context.options.checkVars !== false,
  };
}

function parseStepTemplate(prompt: string, fail: (message: string, within: ValueRange) => never): TemplatePart[] {
  try {
    return parseTemplate(prompt);
  } catch (error) {
    if (!(error instanceof TemplateSyntaxError)) throw error;
    return fail(error.message, { offset: error.offset, length: error.length });
  }
}

/** Throws a ConfigError about a field of a step (paths relative to the step). */
export function failer(chain: ChainDefinition, step: ChainStep) {
  return (field: FieldPath, message: string, hint?: string, within?: ValueRange): never => {
    const context = chain.origin.kind === 'inline' ? `step "${step.name}"` : `chain "${chain.name}", step "${step.name}"`;
    throw chain.origin.error([...step.at, ...field], `${context}: ${message}`, hint, within);
  };
}
