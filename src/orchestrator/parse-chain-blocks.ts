/**
 * The YAML of blocks (`repeat:`, `switch:`, `foreach:` in parse-foreach.ts) and of the fields that steer any step (`when:`,
 * `on_error:`): shape only, each mistake at its file:line. Expressions are parsed and checked by
 * validation, where every step's name and schema are known.
 */
import { isRecord } from '../config/yaml-file.js';
import {
  STEP_NAME,
  type ChainOrigin,
  type ChainStep,
  type Condition,
  type FieldPath,
  type OnError,
  type RepeatBlock,
  type SwitchBlock,
} from './chain-definition.js';
import { checkFields, parseStep } from './parse-chain-yaml.js';
import { parseForeach } from './parse-foreach.js';

export const BLOCK_KINDS = ['repeat', 'switch', 'foreach'] as const;
const BLOCK_STEP_FIELDS = ['name', 'when', 'on_error', ...BLOCK_KINDS];
const REPEAT_FIELDS = ['max_iterations', 'until', 'until_stable', 'steps'];
const SWITCH_FIELDS = ['on', 'cases', 'default'];
const JUDGE_FIELDS = ['judge', 'question', 'about', 'answers'];
const ON_ERROR: readonly OnError[] = ['stop', 'skip', 'fallback'];

export function stepName(origin: ChainOrigin, at: FieldPath, raw: Record<string, unknown>, defaultName: string): string {
  const name = raw.name === undefined ? defaultName : raw.name;
  if (typeof name !== 'string' || !STEP_NAME.test(name)) {
    throw origin.error([...at, 'name'], 'a step name starts with a letter and holds only letters, digits, - and _');
  }
  return name;
}

/** `when:` and `on_error:`, which any step or block may have. */
export function parseStepControl(origin: ChainOrigin, at: FieldPath, raw: Record<string, unknown>): Pick<ChainStep, 'when' | 'onError'> {
  const control: Pick<ChainStep, 'when' | 'onError'> = {};
  if (raw.when !== undefined && raw.when !== null) control.when = parseCondition(origin, [...at, 'when'], raw.when, false);
  if (raw.on_error !== undefined && raw.on_error !== null) {
    if (!ON_ERROR.includes(raw.on_error as OnError)) throw origin.error([...at, 'on_error'], `expected one of ${ON_ERROR.join(', ')}`);
    control.onError = raw.on_error as OnError;
  }
  return control;
}

export function parseBlockStep(origin: ChainOrigin, at: FieldPath, raw: Record<string, unknown>, defaultName: string): ChainStep {
  const kinds = BLOCK_KINDS.filter((kind) => raw[kind] !== undefined);
  if (kinds.length > 1) throw origin.error([...at, kinds[1]!], `a step is one block; this one already has ${kinds[0]}:`);
  for (const key of Object.keys(raw)) {
    if (!BLOCK_STEP_FIELDS.includes(key))
      throw origin.error(
        [...at, key],
        `a ${kinds[0]}: block has only ${BLOCK_STEP_FIELDS.filter((field) => !BLOCK_KINDS.includes(field as never) || field === kinds[0]).join(', ')}; put ${key}: on its inner steps`,
      );
  }
  const name = stepName(origin, at, raw, defaultName);
  const control = parseStepControl(origin, at, raw);
  const blockAt: FieldPath = [...at, kinds[0]!];
  const block =
    kinds[0] === 'repeat'
      ? parseRepeat(origin, blockAt, raw.repeat, name)
      : kinds[0] === 'switch'
        ? parseSwitch(origin, blockAt, raw.switch, name)
        : parseForeach(origin, blockAt, raw.foreach, (stepsAt, steps) => parseSteps(origin, stepsAt, steps, name));
  return { name, prompt: undefined, parallel: false, branches: [], block, ...control, at };
}

function parseRepeat(origin: ChainOrigin, at: FieldPath, raw: unknown, name: string): RepeatBlock {
  if (!isRecord(raw)) throw origin.error(at, 'expected a mapping with max_iterations, until and steps');
  checkFields(origin, at, raw, REPEAT_FIELDS);
  const max = raw.max_iterations;
  if (max === undefined) throw origin.error(at, 'a repeat needs max_iterations (1 to 100): the most times it may run');
  if (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 100)
    throw origin.error([...at, 'max_iterations'], 'must be a whole number from 1 to 100');
  if (raw.until_stable !== undefined && typeof raw.until_stable !== 'boolean')
    throw origin.error([...at, 'until_stable'], 'must be true or false');
  const until = raw.until === undefined || raw.until === null ? undefined : parseCondition(origin, [...at, 'until'], raw.until, false);
  return {
    kind: 'repeat',
    maxIterations: max as number,
    until,
    untilStable: raw.until_stable === true,
    steps: parseSteps(origin, [...at, 'steps'], raw.steps, name),
    at,
  };
}

function parseSwitch(origin: ChainOrigin, at: FieldPath, raw: unknown, name: string): SwitchBlock {
  if (!isRecord(raw)) throw origin.error(at, 'expected a mapping with on, cases and (optionally) default');
  checkFields(origin, at, raw, SWITCH_FIELDS);
  if (raw.on === undefined) throw origin.error(at, 'a switch needs on: an expression, or { judge, question, answers }');
  const on = parseCondition(origin, [...at, 'on'], raw.on, true);
  if (!isRecord(raw.cases) || Object.keys(raw.cases).length === 0)
    throw origin.error([...at, 'cases'], 'expected a mapping of case names to lists of steps');
  const cases = Object.entries(raw.cases).map(([caseName, steps]) => ({
    name: caseName,
    steps: parseSteps(origin, [...at, 'cases', caseName], steps, `${name}-${caseName}`),
  }));
  if (on.kind === 'judge' && on.answers) {
    const unknown = cases.find((item) => !on.answers!.includes(item.name.toLowerCase()));
    if (unknown)
      throw origin.error(
        [...at, 'cases', unknown.name],
        `the judge never answers "${unknown.name}"; its answers are ${on.answers.join(', ')}`,
      );
  }
  const fallback =
    raw.default === undefined || raw.default === null ? undefined : parseSteps(origin, [...at, 'default'], raw.default, `${name}-default`);
  return { kind: 'switch', on, cases, default: fallback, at };
}

function parseSteps(origin: ChainOrigin, at: FieldPath, raw: unknown, prefix: string): ChainStep[] {
  if (!Array.isArray(raw) || raw.length === 0) throw origin.error(at, 'expected a list of steps');
  return raw.map((step, index) => parseStep(origin, [...at, index], step, `${prefix}-${index + 1}`));
}

/** An expression (a string) or `{ judge, question, about?, answers? }`. */
function parseCondition(origin: ChainOrigin, at: FieldPath, raw: unknown, withAnswers: boolean): Condition {
  if (typeof raw === 'string') return { kind: 'expression', source: raw, at };
  if (typeof raw === 'boolean' || typeof raw === 'number') return { kind: 'expression', source: String(raw), at };
  if (!isRecord(raw)) throw origin.error(at, 'expected an expression (a string) or { judge: MODEL, question: "…" }');
  checkFields(origin, at, raw, withAnswers ? JUDGE_FIELDS : JUDGE_FIELDS.filter((field) => field !== 'answers'));
  if (typeof raw.judge !== 'string' || raw.judge.trim() === '') throw origin.error([...at, 'judge'], 'must be a model reference');
  if (typeof raw.question !== 'string' || raw.question.trim() === '') throw origin.error([...at, 'question'], 'a judge needs a question');
  if (raw.about !== undefined && typeof raw.about !== 'string') throw origin.error([...at, 'about'], 'must be a string (a template)');
  let answers: string[] | undefined;
  if (raw.answers !== undefined) {
    const list = raw.answers;
    if (!Array.isArray(list) || list.length < 2 || list.some((answer) => typeof answer !== 'string' || !/^[\p{L}\p{N}_-]+$/u.test(answer)))
      throw origin.error([...at, 'answers'], 'expected a list of at least two one-word answers');
    answers = (list as string[]).map((answer) => answer.toLowerCase());
  }
  return { kind: 'judge', model: raw.judge.trim(), question: raw.question, about: raw.about as string | undefined, answers, at };
}
