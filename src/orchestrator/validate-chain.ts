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
  allChainSteps,
  allStepNames,
  DEFAULT_PROMPT,
  type BranchSettings,
  type ChainDefinition,
  type ChainStep,
  type FieldPath,
  type StepTools,
} from './chain-definition.js';
import type { ChainPlan, PlannedBranch, PlannedMerge, PlannedStep } from './planned-chain.js';
import { composeSystemPrompt } from './system-prompt.js';
import { planBlock, planCondition } from './validate-blocks.js';
import { foreachSchema } from './validate-foreach.js';
import { checkTemplate, failer, referenceScope, type SequenceScope, type ValidationContext } from './validation-context.js';

export type { ChainPlan, PlannedBranch, PlannedStep } from './planned-chain.js';

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
  const everyStep = allChainSteps(chain.steps);
  const context: ValidationContext = {
    chain,
    options,
    vars,
    order: allStepNames(chain.steps),
    schemas: new Map(everyStep.map((step) => [step.name, step.block ? undefined : loadStepSchema(chain, step, options)])),
    allSteps: [],
    readsInput: false,
    seen: new Set(),
    planSequence: (steps, scope, firstLabel) => planSequence(context, steps, scope, firstLabel),
  };
  const steps = planSequence(context, chain.steps, { available: new Map(), inRepeat: false, inForeach: false, topLevel: true }, 'input');
  return { chain, vars, steps, allSteps: context.allSteps, readsInput: context.readsInput };
}

function planSequence(context: ValidationContext, steps: readonly ChainStep[], scope: SequenceScope, firstLabel: string): PlannedStep[] {
  const { chain, options } = context;
  return steps.map((step, position) => {
    const fail = failer(chain, step);
    if (context.seen.has(step.name))
      fail(['name'], `another step (number ${context.order.indexOf(step.name) + 1}) has the same name; step names must be unique`);
    context.seen.add(step.name);
    const references = referenceScope(context, scope, step.name);
    const previousLabel = position === 0 ? firstLabel : `output of step ${steps[position - 1]!.name}`;
    const planned: PlannedStep = {
      index: context.allSteps.length,
      name: step.name,
      parallel: step.parallel,
      prompt: '',
      template: [],
      branches: [],
      schema: context.schemas.get(step.name),
      tools: step.tools,
      previousLabel,
      ...(step.onError ? { onError: step.onError } : {}),
    };
    context.allSteps.push(planned);
    if (step.when) planned.when = planCondition(context, step, step.when, references, scope.topLevel && position === 0);
    if (step.block) {
      planned.block = planBlock(context, step, step.block, scope, previousLabel);
    } else {
      planned.branches = step.branches.map((branch) => planBranch(chain, step, branch, options));
      if (step.tools && options.toolServers) checkToolServers(step.tools, options.toolServers, fail);
      planned.prompt = step.prompt ?? DEFAULT_PROMPT;
      planned.template = checkTemplate(context, step, ['prompt'], planned.prompt, references, scope.topLevel && position === 0);
    }
    const merge = planMerge(step, planned.schema, options.resolveRef, fail);
    if (merge) planned.merge = merge;
    if (step.onError === 'fallback' && !step.branches.some((branch) => branch.fallback.length > 0))
      fail(['on_error'], 'on_error: fallback needs fallback: models to try', 'add fallback: [MODEL, …], or write on_error: skip');
    scope.available.set(step.name, { step, schema: planned.schema ?? foreachSchema(planned) });
    return planned;
  });
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

export function planBranch(
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
