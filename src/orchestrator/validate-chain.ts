/**
 * Everything that can be checked before a chain makes its first call: every model (and fallback)
 * resolves in the catalog, every role and persona exists, every template parses, every
 * `{{steps.NAME…}}` names an earlier step and every `{{vars.KEY}}` has a value. Any mistake is a
 * ConfigError (exit 3) naming the chain, the step and the field, at the place it was written.
 * Keys are not looked up here: the catalog is enough, so `--dry-run` works without any key.
 */
import path from 'node:path';
import type { ModelCatalog } from '../config/catalog.js';
import { ConfigError } from '../errors.js';
import { closeMatches } from '../config/closest-match.js';
import type { JsonSchema } from '../providers/spec.js';
import type { ModelRef } from '../config/resolve-model-ref.js';
import { type LoadedSchema, loadSchema, type NamedSchema } from '../structured/load-schema.js';
import {
  DEFAULT_PROMPT,
  type BranchSettings,
  type ChainDefinition,
  type ChainStep,
  type FieldPath,
  type MergeStrategy,
  type StepTools,
  type ValueRange,
} from './chain-definition.js';
import { composeSystemPrompt } from './system-prompt.js';
import { parseTemplate, TemplateSyntaxError, variables, type TemplatePart } from './template.js';

export interface PlannedBranch {
  settings: BranchSettings;
  /** The model, then its fallbacks in order. */
  models: ModelRef[];
  system: string | undefined;
}

export interface PlannedStep {
  index: number;
  name: string;
  parallel: boolean;
  /** The template as written (or the default, `{{previous}}`). */
  prompt: string;
  template: TemplatePart[];
  branches: PlannedBranch[];
  /** The step's tools (it runs through the tool loop), when it set `tools:`. */
  tools: StepTools | undefined;
  /** Each branch's reply must be JSON matching this (`schema:`). */
  schema: LoadedSchema | undefined;
  /** A parallel stage's merge strategy other than the default concat. */
  merge?: PlannedMerge | undefined;
}

export interface PlannedMerge {
  strategy: Exclude<MergeStrategy, 'concat'>;
  /** judge: the model that picks (or combines) the answers. */
  model?: ModelRef | undefined;
  /** judge: its instruction (merge_prompt), when the chain gives one. */
  prompt?: string | undefined;
}

export interface ChainPlan {
  chain: ChainDefinition;
  /** The chain's defaults overridden by --var. */
  vars: Record<string, string>;
  steps: PlannedStep[];
  /** Whether any step reads the input ({{input}}, or {{previous}} in the first step). */
  readsInput: boolean;
}

/** Turns a model reference into a catalog entry, or throws a ConfigError saying why not. */
export type ResolveModelRef = (ref: string) => ModelRef;

export interface ValidateOptions {
  catalog: ModelCatalog;
  /**
   * How references become models: given by the caller (the CLI passes the registry's lookup), so
   * the orchestrator never reaches the registry itself.
   */
  resolveRef: ResolveModelRef;
  /** --var values; they override the chain's own `vars:` defaults. */
  vars?: Record<string, string>;
  /** Require a value for every {{vars.KEY}} (default true; `chain show` turns it off). */
  checkVars?: boolean;
  /** The configured MCP servers (mcp.servers); when given, a step's `tools:` must name only these. */
  toolServers?: readonly string[];
  /** `schemas:` from config.yaml, for steps whose `schema:` names one. */
  schemas?: ReadonlyMap<string, NamedSchema>;
}

export function validateChain(chain: ChainDefinition, options: ValidateOptions): ChainPlan {
  const vars = { ...chain.vars, ...options.vars };
  const names = chain.steps.map((step) => step.name);
  const schemas = chain.steps.map((step) => loadStepSchema(chain, step, options));
  const steps: PlannedStep[] = [];
  let readsInput = false;
  chain.steps.forEach((step, index) => {
    const fail = failer(chain, step);
    const earlier = names.indexOf(step.name);
    if (earlier < index) fail(['name'], `another step (number ${earlier + 1}) has the same name; step names must be unique`);
    const branches = step.branches.map((branch) => planBranch(chain, step, branch, options));
    if (step.tools && options.toolServers) checkToolServers(step.tools, options.toolServers, fail);
    const prompt = step.prompt ?? DEFAULT_PROMPT;
    const template = parseStepTemplate(prompt, fail);
    for (const { variable, source, offset } of variables(template)) {
      const within = { offset, length: source.length };
      if (variable.kind === 'input' || (variable.kind === 'previous' && index === 0)) readsInput = true;
      if (variable.kind === 'var' && options.checkVars !== false && vars[variable.key] === undefined) {
        fail(['prompt'], `${source} has no value`, `pass --var ${variable.key}=VALUE, or give the chain a default under vars:`, within);
      }
      if (variable.kind !== 'step' && variable.kind !== 'step-json') continue;
      const target = names.indexOf(variable.step);
      if (target < 0) {
        const suggestions = closeMatches(variable.step, names);
        fail(
          ['prompt'],
          `${source} names no step of this chain${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}`,
          `steps: ${names.join(', ')}`,
          within,
        );
      }
      if (target === index)
        fail(['prompt'], `${source} refers to this step's own output`, 'a step can use the outputs of the steps before it', within);
      if (target > index) {
        fail(
          ['prompt'],
          `${source} refers to a later step (step ${target + 1}); steps run in order`,
          'a step can use the outputs of the steps before it',
          within,
        );
      }
      if (variable.kind === 'step-json')
        checkJsonPath(chain.steps[target]!, schemas[target], variable.path, source, (message, hint) =>
          fail(['prompt'], message, hint, within),
        );
    }
    const merge = planMerge(step, schemas[index], options.resolveRef, fail);
    steps.push({
      index,
      name: step.name,
      parallel: step.parallel,
      prompt,
      template,
      branches,
      schema: schemas[index],
      tools: step.tools,
      ...(merge ? { merge } : {}),
    });
  });
  return { chain, vars, steps, readsInput };
}

function planMerge(
  step: ChainStep,
  schema: LoadedSchema | undefined,
  resolveRef: ResolveModelRef,
  fail: ReturnType<typeof failer>,
): PlannedMerge | undefined {
  const spec = step.merge;
  if (!spec || spec.strategy === 'concat') return undefined;
  const field = spec.at.slice(step.at.length);
  if (spec.strategy === 'first_valid' && !schema) {
    fail(
      field,
      "merge: first_valid keeps the first branch whose reply matches the stage's schema, and this stage has no schema:",
      'add schema: to the stage',
    );
  }
  if (spec.strategy !== 'judge') return { strategy: spec.strategy };
  try {
    return { strategy: 'judge', model: resolveRef(spec.model!), ...(spec.prompt === undefined ? {} : { prompt: spec.prompt }) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return fail([...field.slice(0, -1), 'merge_model'], error.message, error.hint);
  }
}

function checkToolServers(tools: StepTools, servers: readonly string[], fail: ReturnType<typeof failer>): void {
  for (const [index, selector] of tools.selectors.entries()) {
    const server = selector.includes('.') ? selector.slice(0, selector.indexOf('.')) : selector;
    if (/[*?]/.test(server) || servers.includes(server)) continue;
    const suggestions = closeMatches(server, [...servers]);
    fail(
      ['tools', index],
      `no MCP server is named "${server}"${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}`,
      servers.length ? `servers: ${servers.join(', ')} (mcp.servers in config.yaml)` : 'declare it under mcp.servers in config.yaml',
    );
  }
}

function loadStepSchema(chain: ChainDefinition, step: ChainStep, options: ValidateOptions): LoadedSchema | undefined {
  if (!step.schema) return undefined;
  const { value } = step.schema;
  const fail = failer(chain, step);
  const field = step.schema.at.slice(step.at.length);
  if (typeof value !== 'string') {
    return { schema: value as JsonSchema, name: step.name, where: `chain "${chain.name}", step "${step.name}", schema` };
  }
  try {
    const cwd = chain.origin.kind === 'file' ? path.dirname(chain.origin.where) : undefined;
    return loadSchema(value, { ...(options.schemas ? { named: options.schemas } : {}), ...(cwd ? { cwd } : {}) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return fail(field, error.message, error.hint);
  }
}

/**
 * `{{steps.NAME.json.a.b}}` must read a step with a schema, and each field must be one the schema
 * names, as far as the schema says (a field under anyOf or $ref is taken on trust). A parallel
 * stage's JSON is the list of its branches' values, so its path starts with an index (unless its
 * merge strategy kept one of them).
 */
function checkJsonPath(
  target: ChainStep,
  loaded: LoadedSchema | undefined,
  fieldPath: readonly string[],
  source: string,
  fail: (message: string, hint?: string) => never,
): void {
  if (!loaded)
    fail(
      `${source} reads JSON, but step "${target.name}" has no schema:`,
      `give step "${target.name}" a schema, or read {{steps.${target.name}.output}}`,
    );
  let node: unknown = loaded!.schema;
  const keys = [...fieldPath];
  // A stage merged by vote, first_valid or judge has one value: the answer it kept.
  const merged = target.merge !== undefined && target.merge.strategy !== 'concat';
  if (target.parallel && !merged) {
    const first = keys.shift();
    if (first !== undefined && !/^\d+$/.test(first)) {
      fail(
        `${source}: step "${target.name}" is a parallel stage; its JSON is a list with one value per branch`,
        `write {{steps.${target.name}.json.0.${first}}}`,
      );
    }
  }
  for (const key of keys) {
    if (typeof node !== 'object' || node === null) return;
    const schema = node as JsonSchema;
    if (schema.type === 'array' || schema.items !== undefined) {
      if (!/^\d+$/.test(key)) fail(`${source}: "${key}" is not a list index; that value of step "${target.name}" is a list`);
      node = schema.items;
      continue;
    }
    const properties = schema.properties;
    if (typeof properties !== 'object' || properties === null) return;
    if (!(key in properties)) {
      if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) return;
      const known = Object.keys(properties);
      const suggestions = closeMatches(key, known);
      fail(
        `${source}: the schema of step "${target.name}" has no field "${key}"${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}`,
        `fields there: ${known.join(', ') || 'none'}`,
      );
    }
    node = (properties as Record<string, unknown>)[key];
  }
}

function parseStepTemplate(prompt: string, fail: ReturnType<typeof failer>): TemplatePart[] {
  try {
    return parseTemplate(prompt);
  } catch (error) {
    if (!(error instanceof TemplateSyntaxError)) throw error;
    return fail(['prompt'], error.message, undefined, { offset: error.offset, length: error.length });
  }
}

function planBranch(
  chain: ChainDefinition,
  step: ChainStep,
  branch: BranchSettings,
  { catalog, resolveRef }: ValidateOptions,
): PlannedBranch {
  const fail = failer(chain, step);
  const at = (field: keyof BranchSettings['at']): FieldPath | undefined => branch.at[field]?.slice(step.at.length);
  const models = [branch.model, ...branch.fallback].map((ref, index) => {
    try {
      return resolveRef(ref);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const field = index === 0 ? (at('model') ?? ['model']) : [...(at('fallback') ?? ['fallback']), index - 1];
      return fail(field, error.message, error.hint);
    }
  });
  for (const kind of ['role', 'persona'] as const) {
    const name = branch[kind];
    if (name === undefined) continue;
    const table = kind === 'role' ? catalog.systemPrompts.roles : catalog.systemPrompts.personas;
    if (table[name] !== undefined) continue;
    const known = Object.keys(table).sort();
    const suggestions = closeMatches(name, known);
    fail(
      at(kind) ?? [kind],
      `unknown ${kind} "${name}"${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}`,
      `known ${kind}s: ${known.join(', ') || 'none'}; add yours under system_prompts.${kind}s in models.yaml`,
    );
  }
  return { settings: branch, models, system: composeSystemPrompt(catalog.systemPrompts, branch) };
}

/** Throws a ConfigError about a field of a step (paths relative to the step). */
function failer(chain: ChainDefinition, step: ChainStep) {
  return (field: FieldPath, message: string, hint?: string, within?: ValueRange): never => {
    const context = chain.origin.kind === 'inline' ? `step "${step.name}"` : `chain "${chain.name}", step "${step.name}"`;
    throw chain.origin.error([...step.at, ...field], `${context}: ${message}`, hint, within);
  };
}
