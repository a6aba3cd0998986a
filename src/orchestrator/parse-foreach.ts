/**
 * The YAML of a `foreach:` block: exactly one of `items:` (an expression giving a JSON array),
 * `lines:` (a text's non-empty lines) or `chunks:` (a long text cut to fit, `chunk_tokens`), and
 * `concurrency`, `max_items`, `steps`. Shape only; the expression is checked by validation.
 */
import { isRecord } from '../config/yaml-file.js';
import type { ChainOrigin, ChainStep, FieldPath, ForeachBlock } from './chain-definition.js';

const SOURCES = ['items', 'lines', 'chunks'] as const;
const FOREACH_FIELDS = [...SOURCES, 'chunk_tokens', 'concurrency', 'max_items', 'steps'];

export const DEFAULT_MAX_ITEMS = 100;
export const DEFAULT_CHUNK_TOKENS = 4000;

export function parseForeach(
  origin: ChainOrigin,
  at: FieldPath,
  raw: unknown,
  parseSteps: (at: FieldPath, raw: unknown) => ChainStep[],
): ForeachBlock {
  if (!isRecord(raw)) throw origin.error(at, 'expected a mapping with items (or lines, or chunks) and steps');
  for (const key of Object.keys(raw)) {
    if (!FOREACH_FIELDS.includes(key)) throw origin.error([...at, key], `unknown field; expected one of ${FOREACH_FIELDS.join(', ')}`);
  }
  const given = SOURCES.filter((source) => raw[source] !== undefined && raw[source] !== null);
  if (given.length !== 1) {
    throw origin.error(
      given.length ? [...at, given[1]!] : at,
      given.length ? `a foreach reads one source; it already has ${given[0]}:` : 'a foreach needs items:, lines: or chunks:',
      'items: "steps.NAME.json.list" (a JSON array), lines: "steps.NAME.output", or chunks: "input" with chunk_tokens',
    );
  }
  const kind = given[0]!;
  const expression = raw[kind];
  if (typeof expression !== 'string' || expression.trim() === '')
    throw origin.error([...at, kind], 'expected an expression, e.g. "steps.extract.json.items" or "input"');
  if (raw.chunk_tokens !== undefined && kind !== 'chunks')
    throw origin.error([...at, 'chunk_tokens'], `sizes chunks:, and this foreach reads ${kind}:`);
  return {
    kind: 'foreach',
    source: { kind, expression, at: [...at, kind] },
    chunkTokens: wholeNumber(origin, [...at, 'chunk_tokens'], raw.chunk_tokens, 1, 10_000_000),
    concurrency: wholeNumber(origin, [...at, 'concurrency'], raw.concurrency, 1, 1000),
    maxItems: wholeNumber(origin, [...at, 'max_items'], raw.max_items, 1, 100_000),
    steps: parseSteps([...at, 'steps'], raw.steps),
    at,
  };
}

function wholeNumber(origin: ChainOrigin, at: FieldPath, raw: unknown, min: number, max: number): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Number.isInteger(raw) || (raw as number) < min || (raw as number) > max)
    throw origin.error(at, `must be a whole number from ${min} to ${max.toLocaleString('en')}`);
  return raw as number;
}
