/**
 * A chain written in YAML (under `chains:` in config, or a file of its own) → ChainDefinition.
 * Only the shape is checked here, each mistake reported at its `file:line`; whether the models,
 * roles, personas and references exist is validate-chain's job.
 */
import { fieldError, isRecord, type YamlFile } from '../config/yaml-file.js';
import { ConfigError } from '../errors.js';
import type { BranchSettings, ChainDefinition, ChainOrigin, ChainStep, FieldPath, StepTools } from './chain-definition.js';
import { BLOCK_KINDS, parseBlockStep, parseStepControl, stepName } from './parse-chain-blocks.js';
import { MERGE_FIELDS, parseMerge } from './parse-merge.js';

export interface YamlChain {
  name: string;
  definition: unknown;
  /** The file the chain was read from. */
  source: YamlFile;
  /** Where the chain sits in the file: `['chains', NAME]` in config, `[]` in a chain file. */
  base: FieldPath;
  kind: 'config' | 'file';
}

const CHAIN_FIELDS = ['description', 'steps', 'budget_usd', 'vars'];
const BRANCH_FIELDS = ['model', 'role', 'persona', 'system', 'max_tokens', 'temperature', 'fallback', 'cache'];
const STEP_FIELDS = ['name', 'prompt', 'parallel', 'schema', 'tools', 'max_steps', 'when', 'on_error', ...MERGE_FIELDS, ...BRANCH_FIELDS];

export function yamlOrigin(source: YamlFile, base: FieldPath, kind: 'config' | 'file'): ChainOrigin {
  return {
    kind,
    where: source.file,
    error(fieldPath, message, hint) {
      const path = [...base, ...fieldPath];
      // The chain itself (a file's top level) has no field name to show.
      if (path.length === 0) return new ConfigError(`${source.locate(path)}: ${message}`, hint === undefined ? {} : { hint });
      return fieldError(source, path, message, hint);
    },
  };
}

export function parseYamlChain(chain: YamlChain): ChainDefinition {
  const origin = yamlOrigin(chain.source, chain.base, chain.kind);
  const raw = chain.definition;
  if (!isRecord(raw)) throw origin.error([], 'a chain is a mapping with description and steps');
  checkFields(origin, [], raw, CHAIN_FIELDS);
  if (raw.description !== undefined && typeof raw.description !== 'string') throw origin.error(['description'], 'must be a string');
  if (!Array.isArray(raw.steps) || raw.steps.length === 0) {
    throw origin.error(['steps'], 'a chain needs a list of steps', 'each step has a name, a model and a prompt; see docs/chains.md');
  }
  let budgetUsd: number | undefined;
  if (raw.budget_usd !== undefined && raw.budget_usd !== null) {
    if (typeof raw.budget_usd !== 'number' || !Number.isFinite(raw.budget_usd) || raw.budget_usd < 0) {
      throw origin.error(['budget_usd'], 'must be a non-negative number of US dollars');
    }
    budgetUsd = raw.budget_usd;
  }
  return {
    name: chain.name,
    description: raw.description,
    budgetUsd,
    steps: raw.steps.map((step, index) => parseStep(origin, ['steps', index], step, `step${index + 1}`)),
    origin,
    vars: parseVars(origin, raw.vars),
  };
}

function parseVars(origin: ChainOrigin, raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) throw origin.error(['vars'], 'expected a mapping of KEY: default value');
  const vars: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) throw origin.error(['vars', key], 'must be a string');
    vars[key] = String(value);
  }
  return vars;
}

/** A step at `at` (`['steps', 2]`, or inside a block); `defaultName` when it has no name. */
export function parseStep(origin: ChainOrigin, at: FieldPath, raw: unknown, defaultName: string): ChainStep {
  if (!isRecord(raw)) throw origin.error(at, 'a step is a mapping with name, model and prompt');
  if (BLOCK_KINDS.some((kind) => raw[kind] !== undefined)) return parseBlockStep(origin, at, raw, defaultName);
  checkFields(origin, at, raw, STEP_FIELDS);
  const name = stepName(origin, at, raw, defaultName);
  const control = parseStepControl(origin, at, raw);
  const prompt = optionalString(origin, [...at, 'prompt'], raw.prompt);
  const schema = parseSchemaField(origin, at, raw.schema);
  const tools = parseStepTools(origin, at, raw);
  const withTools = tools ? { tools } : {};
  const merge = parseMerge(origin, at, raw, raw.parallel !== undefined);
  if (raw.parallel === undefined) {
    if (raw.model === undefined) throw origin.error(at, `step "${name}" needs a model (or a parallel: list of branches)`);
    return { name, prompt, parallel: false, branches: [parseBranch(origin, at, raw, undefined)], schema, ...withTools, ...control, at };
  }
  if (raw.model !== undefined) {
    throw origin.error([...at, 'model'], `step "${name}" is a parallel stage: name each branch's model under parallel:`);
  }
  if (!Array.isArray(raw.parallel) || raw.parallel.length === 0) {
    throw origin.error([...at, 'parallel'], 'expected a list of branches, each a model reference or { model, role, persona, … }');
  }
  const stageDefaults = parseBranchFields(origin, at, raw);
  const branches = raw.parallel.map((branch, branchIndex) => {
    const branchAt: FieldPath = [...at, 'parallel', branchIndex];
    const branchRaw = typeof branch === 'string' ? { model: branch } : branch;
    if (!isRecord(branchRaw)) throw origin.error(branchAt, 'a branch is a model reference or { model, role, persona, … }');
    checkFields(origin, branchAt, branchRaw, BRANCH_FIELDS);
    return parseBranch(origin, branchAt, branchRaw, stageDefaults);
  });
  return { name, prompt, parallel: true, branches, schema, ...withTools, ...control, ...(merge ? { merge } : {}), at };
}

/** `schema:` is a string (file, configured name, concise form, inline JSON) or a schema written as a mapping. */
function parseSchemaField(origin: ChainOrigin, at: FieldPath, raw: unknown): ChainStep['schema'] {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string' && !isRecord(raw)) {
    throw origin.error(
      [...at, 'schema'],
      'expected a schema file, a name from schemas:, the concise form ("title, year int") or a mapping',
    );
  }
  return { value: raw, at: [...at, 'schema'] };
}

/** `tools: [fs, 'gh.search_*']` (or one string) and `max_steps: N`, which only makes sense with tools. */
function parseStepTools(origin: ChainOrigin, at: FieldPath, raw: Record<string, unknown>): StepTools | undefined {
  let maxSteps: number | undefined;
  if (raw.max_steps !== undefined && raw.max_steps !== null) {
    if (!Number.isInteger(raw.max_steps) || (raw.max_steps as number) < 1)
      throw origin.error([...at, 'max_steps'], 'must be a positive whole number of model calls');
    maxSteps = raw.max_steps as number;
  }
  if (raw.tools === undefined || raw.tools === null) {
    if (maxSteps !== undefined)
      throw origin.error([...at, 'max_steps'], 'limits tool steps, but this step has no tools:', 'add tools: [SERVER]');
    return undefined;
  }
  const list = typeof raw.tools === 'string' ? [raw.tools] : raw.tools;
  if (!Array.isArray(list) || list.length === 0 || list.some((item) => typeof item !== 'string' || item.trim() === '')) {
    throw origin.error([...at, 'tools'], 'expected a list of MCP server names or server.tool patterns, e.g. [fs, "gh.search_*"]');
  }
  return { selectors: (list as string[]).map((item) => item.trim()), maxSteps };
}

/** The fields a branch (or a single step) sets; a parallel stage's own fields are its branches' defaults. */
function parseBranchFields(origin: ChainOrigin, at: FieldPath, raw: Record<string, unknown>): Omit<BranchSettings, 'model'> {
  const settings: Omit<BranchSettings, 'model'> = { fallback: [], at: {} };
  for (const field of ['role', 'persona', 'system'] as const) {
    const value = optionalString(origin, [...at, field], raw[field]);
    if (value !== undefined) {
      settings[field] = value;
      settings.at[field] = [...at, field];
    }
  }
  if (raw.max_tokens !== undefined && raw.max_tokens !== null) {
    if (!Number.isInteger(raw.max_tokens) || (raw.max_tokens as number) < 1)
      throw origin.error([...at, 'max_tokens'], 'must be a positive whole number of tokens');
    settings.maxTokens = raw.max_tokens as number;
  }
  if (raw.temperature !== undefined && raw.temperature !== null) {
    if (typeof raw.temperature !== 'number' || raw.temperature < 0 || raw.temperature > 2)
      throw origin.error([...at, 'temperature'], 'must be a number from 0 to 2');
    settings.temperature = raw.temperature;
  }
  if (raw.cache !== undefined && raw.cache !== null) {
    if (typeof raw.cache !== 'boolean') throw origin.error([...at, 'cache'], 'must be true or false');
    settings.cache = raw.cache;
  }
  if (raw.fallback !== undefined && raw.fallback !== null) {
    const list = typeof raw.fallback === 'string' ? [raw.fallback] : raw.fallback;
    if (!Array.isArray(list) || list.some((ref) => typeof ref !== 'string' || ref.trim() === '')) {
      throw origin.error([...at, 'fallback'], 'expected a list of model references, tried in order');
    }
    settings.fallback = list as string[];
    settings.at.fallback = [...at, 'fallback'];
  }
  return settings;
}

function parseBranch(
  origin: ChainOrigin,
  at: FieldPath,
  raw: Record<string, unknown>,
  defaults: Omit<BranchSettings, 'model'> | undefined,
): BranchSettings {
  if (typeof raw.model !== 'string' || raw.model.trim() === '') {
    throw origin.error([...at, 'model'], 'must be a model reference: provider:model, an alias or a provider name');
  }
  const own = parseBranchFields(origin, at, raw);
  const merged: BranchSettings = {
    ...defaults,
    ...withoutUndefined(own),
    model: raw.model.trim(),
    fallback: [],
    at: { ...defaults?.at, ...own.at, model: [...at, 'model'] },
  };
  merged.fallback = own.fallback.length ? own.fallback : (defaults?.fallback ?? []);
  return merged;
}

function optionalString(origin: ChainOrigin, at: FieldPath, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw origin.error(at, 'must be a string');
  return value;
}

export function checkFields(origin: ChainOrigin, at: FieldPath, raw: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) throw origin.error([...at, key], `unknown field; expected one of ${known.join(', ')}`);
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([key, field]) => field !== undefined && key !== 'fallback' && key !== 'at'),
  ) as Partial<T>;
}
