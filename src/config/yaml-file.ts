/**
 * YAML files that remember where each value came from, so a mistake can be reported as
 * `file:line: field: what is wrong`.
 */
import { closest } from './closest-match.js';
import { NotARegularFile, readRegularFile } from '../fs/read-regular-file.js';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Pair, type YAMLMap } from 'yaml';
import { ConfigError } from '../errors.js';

export type FieldPath = readonly (string | number)[];

export interface YamlFile {
  file: string;
  value: unknown;
  /** `file:line` of the value at `fieldPath` (or of the nearest parent that exists). */
  locate(fieldPath: FieldPath): string;
}

/** Far more than any real configuration uses (the shipped files use none). */
const MAX_ALIASES = 100;
/** A configuration file of this size is a mistake (or an attack); the shipped ones are ≈ 20 KB. */
const MAX_YAML_BYTES = 4 * 1024 * 1024;

export function parseYaml(file: string, text: string): YamlFile {
  const lineCounter = new LineCounter();
  // The library's own duplicate-key check compares each key with every earlier one: 62 s for a
  // 50,000-key file. The same check, by a set per mapping, is linear.
  const document: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const firstError = document.errors[0] ?? duplicateKey(document);
  if (firstError) {
    const { line, col } = lineCounter.linePos(firstError.pos[0]);
    const reason = firstError.message.split('\n')[0]?.replace(/ at line \d+, column \d+.*$/, '');
    throw new ConfigError(`${file}:${line}:${col}: invalid YAML: ${reason}`, {
      hint: 'fix the YAML syntax at that line (indentation, a missing colon or quote)',
    });
  }
  let value: unknown;
  try {
    // An alias bomb (aliases of aliases of lists) expands to billions of nodes: the library stops
    // past this many alias expansions, and that is a mistake in the file, not a crash.
    value = document.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (error) {
    throw new ConfigError(`${file}: too many YAML aliases (${(error as Error).message.split('\n')[0]})`, {
      hint: `use at most ${MAX_ALIASES} alias expansions (*name); write the values out instead`,
    });
  }
  // Each mapping's entries by key, built the first time a field in it is located: locating every
  // one of n entries then costs n, not n² (a scan of the mapping per lookup).
  const entries = new WeakMap<YAMLMap, Map<unknown, Pair>>();
  const entry = (map: YAMLMap, key: string | number): Pair | undefined => {
    let byKey = entries.get(map);
    if (!byKey) {
      byKey = new Map();
      for (const item of map.items) if (isScalar(item.key) && !byKey.has(item.key.value)) byKey.set(item.key.value, item);
      entries.set(map, byKey);
    }
    return byKey.get(key);
  };
  return {
    file,
    value,
    locate(fieldPath) {
      const line = (offset: number) => `${file}:${lineCounter.linePos(offset).line}`;
      // Walk down as far as the path exists; point at the key of the last mapping entry reached
      // (where the field is named), else at the value.
      let node: unknown = document.contents;
      let found = isNode(node) && node.range ? line(node.range[0]) : file;
      for (const key of fieldPath) {
        if (isMap(node)) {
          const pair = entry(node, key);
          if (!pair) break;
          if (isNode(pair.key) && pair.key.range) found = line(pair.key.range[0]);
          node = pair.value;
        } else if (isSeq(node) && typeof key === 'number') {
          node = node.items[key];
          if (!isNode(node)) break;
          if (node.range) found = line(node.range[0]);
        } else {
          break;
        }
      }
      return found;
    },
  };
}

/** The first key that repeats within one mapping, as the library's error would report it. */
function duplicateKey(document: Document): { pos: [number, number]; message: string } | undefined {
  let duplicate: { pos: [number, number]; message: string } | undefined;
  visit(document, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const item of map.items) {
        if (!isScalar(item.key)) continue;
        if (seen.has(item.key.value)) {
          duplicate = { pos: [item.key.range?.[0] ?? 0, item.key.range?.[1] ?? 0], message: 'Map keys must be unique' };
          return visit.BREAK;
        }
        seen.add(item.key.value);
      }
      return undefined;
    },
  });
  return duplicate;
}

/**
 * A file whose value came from the configuration cache: it is parsed again only if something
 * asks where a field is (an error message), which a cached, validated file rarely needs.
 */
export function yamlFileFromValue(file: string, value: unknown): YamlFile {
  let parsed: YamlFile | undefined;
  return {
    file,
    value,
    locate(fieldPath) {
      try {
        parsed ??= readYamlFile(file);
      } catch {
        // Changed into something unparsable since: name the file without a line.
      }
      return parsed ? parsed.locate(fieldPath) : file;
    },
  };
}

/** Reads and parses a YAML file; undefined when it does not exist. */
export function readYamlFile(file: string): YamlFile | undefined {
  let text: string;
  try {
    // A FIFO or /dev/zero in place of .llmo.yaml (a cloned repository can hold either) must not
    // hang llmo or fill its memory.
    text = readRegularFile(file, MAX_YAML_BYTES).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (error instanceof NotARegularFile)
      throw new ConfigError(`${error.message}`, { hint: 'a configuration file must be a regular YAML file' });
    throw new ConfigError(`${file}: cannot read: ${(error as Error).message}`);
  }
  return parseYaml(file, text);
}

/** A `file:line: field: message` configuration error. */
/**
 * Refuses keys a mapping does not know, naming the closest known one: a misspelt setting must never
 * be ignored (a typo in `budgets` would switch a spending limit off).
 */
export function rejectUnknownKeys(source: YamlFile, at: FieldPath, raw: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(raw)) {
    if (known.includes(key)) continue;
    const nearest = closest(key, known);
    throw fieldError(source, [...at, key], nearest ? `unknown field; did you mean ${nearest}?` : 'unknown field; nothing is expected here');
  }
}

export function fieldError(source: YamlFile, fieldPath: FieldPath, message: string, hint?: string): ConfigError {
  const field = fieldPath
    .map((part) => (typeof part === 'number' ? `[${part}]` : part))
    .join('.')
    .replace(/\.\[/g, '[');
  const where = field === '' ? source.locate(fieldPath) : `${source.locate(fieldPath)}: ${field}`;
  return new ConfigError(`${where}: ${message}`, hint === undefined ? {} : { hint });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
