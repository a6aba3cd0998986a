/**
 * `routing:` (and `cache.semantic:`, the other setting that spends less) in config.yaml, for `-m auto` (README, "Routing"):
 *
 *   routing:
 *     candidates: [sonnet, openai:gpt-6-luna, flash]   # only these (default: every model with a key)
 *     rules:
 *       - when: { has_code: true }                      # every condition given must hold
 *         model: sonnet
 *
 * Checked at every depth: an unknown key, a wrong type or an unknown mode names the field.
 */
import { closest } from './closest-match.js';
import type { Reader } from './settings-reader.js';
import { isRecord } from './yaml-file.js';

export const ROUTING_MODES = ['cheap', 'balanced', 'best', 'fast'] as const;
export type RoutingMode = (typeof ROUTING_MODES)[number];

export interface RoutingRuleConditions {
  hasCode?: boolean;
  hasImage?: boolean;
  minPromptTokens?: number;
  maxPromptTokens?: number;
  mode?: RoutingMode;
}

export interface RoutingSettings {
  /** Model references `-m auto` may choose from; empty: every model with a usable key. */
  candidates: string[];
  rules: { when: RoutingRuleConditions; model: string }[];
}

const CONDITIONS = {
  has_code: 'hasCode',
  has_image: 'hasImage',
  min_prompt_tokens: 'minPromptTokens',
  max_prompt_tokens: 'maxPromptTokens',
  mode: 'mode',
} as const;

export function readRoutingSettings(read: Reader): RoutingSettings {
  const candidatesPath = ['routing', 'candidates'];
  const rawCandidates = read.raw(candidatesPath);
  let candidates: string[] = [];
  if (rawCandidates !== undefined && rawCandidates !== null) {
    if (!Array.isArray(rawCandidates) || rawCandidates.some((ref) => typeof ref !== 'string' || ref.trim() === '')) {
      throw read.error(candidatesPath, 'must be a list of model references, e.g. [sonnet, openai:gpt-6-luna]');
    }
    candidates = rawCandidates as string[];
  }
  const rulesPath = ['routing', 'rules'];
  const rawRules = read.raw(rulesPath);
  if (rawRules === undefined || rawRules === null) return { candidates, rules: [] };
  if (!Array.isArray(rawRules)) throw read.error(rulesPath, 'must be a list of rules: - { when: { has_code: true }, model: sonnet }');
  const rules = rawRules.map((raw, index) => {
    const at = [...rulesPath, index];
    if (!isRecord(raw)) throw read.error(at, 'expected a rule: { when: { … }, model: REF }');
    for (const key of Object.keys(raw)) {
      if (key !== 'when' && key !== 'model') throw read.error([...at, key], unknownKey(key, ['when', 'model']));
    }
    if (typeof raw.model !== 'string' || raw.model.trim() === '') throw read.error([...at, 'model'], 'must be a model reference');
    if (!isRecord(raw.when) || Object.keys(raw.when).length === 0) {
      throw read.error([...at, 'when'], `expected conditions, any of: ${Object.keys(CONDITIONS).join(', ')}`);
    }
    return { when: readConditions(read, [...at, 'when'], raw.when), model: raw.model };
  });
  return { candidates, rules };
}

function readConditions(read: Reader, at: (string | number)[], raw: Record<string, unknown>): RoutingRuleConditions {
  const conditions: RoutingRuleConditions = {};
  for (const [key, value] of Object.entries(raw)) {
    const path = [...at, key];
    switch (key) {
      case 'has_code':
      case 'has_image':
        if (typeof value !== 'boolean') throw read.error(path, 'must be true or false');
        conditions[CONDITIONS[key]] = value;
        break;
      case 'min_prompt_tokens':
      case 'max_prompt_tokens':
        if (!Number.isInteger(value) || (value as number) < 0) throw read.error(path, 'must be a whole number of tokens');
        conditions[CONDITIONS[key]] = value as number;
        break;
      case 'mode':
        if (typeof value !== 'string' || !(ROUTING_MODES as readonly string[]).includes(value))
          throw read.error(path, `must be one of ${ROUTING_MODES.join(', ')}`);
        conditions.mode = value as RoutingMode;
        break;
      default:
        throw read.error(path, unknownKey(key, Object.keys(CONDITIONS)));
    }
  }
  return conditions;
}

function unknownKey(key: string, known: readonly string[]): string {
  const nearest = closest(key, [...known]);
  return `unknown setting; ${nearest ? `did you mean ${nearest}?` : `expected one of ${known.join(', ')}`}`;
}

/**
 * `cache.semantic: { embedding_model: REF, threshold: 0.95 }`: off unless an embedding model is
 * named. The threshold is a cosine similarity; below 0.8 unrelated prompts start to match.
 */
export function readSemanticCache(read: Reader): { embeddingModel: string; threshold: number } | undefined {
  const embeddingModel = read.string(['cache', 'semantic', 'embedding_model']);
  const threshold = read.number(['cache', 'semantic', 'threshold'], { min: 0.8, max: 1 });
  if (embeddingModel === undefined) {
    if (threshold !== undefined)
      throw read.error(['cache', 'semantic', 'embedding_model'], 'name the embedding model, e.g. openai:text-embedding-3-small');
    return undefined;
  }
  return { embeddingModel, threshold: threshold ?? 0.95 };
}
