/**
 * What a template's `{{…}}` or an expression's path may read at the place it is written: the
 * same rules for both. A step must exist, have run by then (an earlier step, an earlier sibling
 * in a block, any step of the enclosing repeat), not be the step itself, and have a schema when
 * `.json` is read; `loop.*` only inside a repeat, `item` only inside a foreach.
 */
import { closeMatches } from '../config/closest-match.js';
import type { JsonSchema } from '../providers/spec.js';
import type { LoadedSchema } from '../structured/load-schema.js';
import type { ChainStep } from './chain-definition.js';
import type { PathProblem } from './expression/check-expression.js';
import type { TemplateVariable } from './template.js';

export interface ReferenceScope {
  /** Every step name of the chain in order (depth first), for "unknown" and "later" messages. */
  order: readonly string[];
  /** The steps that have finished where the reference is written, with their schemas. */
  available: ReadonlyMap<string, { step: ChainStep; schema: LoadedSchema | undefined }>;
  /** The step the reference belongs to (undefined for a block's own condition). */
  self: string | undefined;
  inRepeat: boolean;
  inForeach: boolean;
  vars: Record<string, string>;
  checkVars: boolean;
}

export function referenceProblem(variable: TemplateVariable, written: string, scope: ReferenceScope): PathProblem | undefined {
  switch (variable.kind) {
    case 'input':
    case 'previous':
      return undefined;
    case 'var':
      if (!scope.checkVars || scope.vars[variable.key] !== undefined) return undefined;
      return { message: `${written} has no value`, hint: `pass --var ${variable.key}=VALUE, or give the chain a default under vars:` };
    case 'loop':
      return scope.inRepeat ? undefined : { message: `${written} is only valid inside a repeat: block` };
    case 'item':
    case 'item-index':
      return scope.inForeach ? undefined : { message: `${written} is only valid inside a foreach: block` };
    case 'step':
    case 'step-json':
      return stepProblem(variable, written, scope);
  }
}

function stepProblem(
  variable: Extract<TemplateVariable, { step: string }>,
  written: string,
  scope: ReferenceScope,
): PathProblem | undefined {
  const target = scope.order.indexOf(variable.step);
  if (target < 0) {
    const suggestions = closeMatches(variable.step, [...scope.order]);
    return {
      message: `${written} names no step of this chain${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}`,
      hint: `steps: ${scope.order.join(', ')}`,
    };
  }
  if (variable.step === scope.self)
    return { message: `${written} refers to this step's own output`, hint: 'a step can use the outputs of the steps before it' };
  const found = scope.available.get(variable.step);
  if (!found) {
    const self = scope.self === undefined ? -1 : scope.order.indexOf(scope.self);
    if (target > self)
      return {
        message: `${written} refers to a later step (step ${target + 1}); steps run in order`,
        hint: 'a step can use the outputs of the steps before it',
      };
    return {
      message: `${written} refers to step "${variable.step}", which is inside a block that has not run here`,
      hint: 'outside a block, read the block itself: steps.BLOCK.output',
    };
  }
  if (variable.kind === 'step-json') return jsonPathProblem(found.step, found.schema, variable.path, written);
  return undefined;
}

/**
 * `steps.NAME.json.a.b` must read a step with a schema, and each field must be one the schema
 * names, as far as the schema says (a field under anyOf or $ref is taken on trust). A parallel
 * stage's JSON is the list of its branches' values, so its path starts with an index (unless its
 * merge strategy kept one of them).
 */
function jsonPathProblem(
  target: ChainStep,
  loaded: LoadedSchema | undefined,
  fieldPath: readonly string[],
  source: string,
): PathProblem | undefined {
  if (!loaded)
    return {
      message: `${source} reads JSON, but step "${target.name}" has no schema:`,
      hint: `give step "${target.name}" a schema, or read {{steps.${target.name}.output}}`,
    };
  let node: unknown = loaded.schema;
  const keys = [...fieldPath];
  // A stage merged by vote, first_valid or judge has one value: the answer it kept.
  const merged = target.merge !== undefined && target.merge.strategy !== 'concat';
  if (target.parallel && !merged) {
    const first = keys.shift();
    if (first !== undefined && !/^\d+$/.test(first)) {
      return {
        message: `${source}: step "${target.name}" is a parallel stage; its JSON is a list with one value per branch`,
        hint: `write {{steps.${target.name}.json.0.${first}}}`,
      };
    }
  }
  for (const key of keys) {
    if (typeof node !== 'object' || node === null) return undefined;
    const schema = node as JsonSchema;
    if (schema.type === 'array' || schema.items !== undefined) {
      if (!/^\d+$/.test(key)) return { message: `${source}: "${key}" is not a list index; that value of step "${target.name}" is a list` };
      node = schema.items;
      continue;
    }
    const properties = schema.properties;
    if (typeof properties !== 'object' || properties === null) return undefined;
    if (!(key in properties)) {
      if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) return undefined;
      const known = Object.keys(properties);
      const suggestions = closeMatches(key, known);
      return {
        message: `${source}: the schema of step "${target.name}" has no field "${key}"${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}`,
        hint: `fields there: ${known.join(', ') || 'none'}`,
      };
    }
    node = (properties as Record<string, unknown>)[key];
  }
  return undefined;
}
