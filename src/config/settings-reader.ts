/**
 * The settings tree's reader: typed values by path, each path remembered so that a key nobody
 * asked for — a misspelt setting at any depth — is refused instead of ignored.
 */
import { closest } from './closest-match.js';
import { fieldError, isRecord, type FieldPath, type YamlFile } from './yaml-file.js';

type Raw = Record<string, unknown>;

/**
 * Reads typed settings out of the merged tree and remembers every path it was asked for, so that
 * whatever no reader asked for — a misspelt key at any depth — is refused with the closest known key.
 */
export class Reader {
  /** Parent path → the child keys some reader asked for. */
  readonly #asked = new Map<string, Set<string>>();

  constructor(
    private readonly merged: Raw,
    private readonly owner: Map<string, YamlFile>,
    private readonly fallback: YamlFile,
  ) {}

  /** The keys of a mapping whose keys are names (servers, schemas, patterns); each entry is then read by path. */
  keys(fieldPath: FieldPath): string[] {
    const value = this.get(fieldPath);
    if (value === undefined) return [];
    if (!isRecord(value)) throw this.error(fieldPath, 'expected a mapping');
    const names = Object.keys(value);
    for (const name of names) this.#ask([...fieldPath, name]);
    return names;
  }

  /** A value as it is (for settings validated by their own reader); the path counts as read. */
  raw(fieldPath: FieldPath): unknown {
    const value = this.get(fieldPath);
    this.#wholes.add(pathKey(fieldPath));
    return value;
  }

  readonly #wholes = new Set<string>();

  #ask(fieldPath: FieldPath): void {
    for (let depth = 0; depth < fieldPath.length; depth += 1) {
      const parent = pathKey(fieldPath.slice(0, depth));
      let children = this.#asked.get(parent);
      if (!children) {
        children = new Set();
        this.#asked.set(parent, children);
      }
      children.add(String(fieldPath[depth]));
    }
  }

  /** Throws for the first key present in the files that no reader asked for. */
  rejectUnread(): void {
    const visit = (value: Raw, at: string[]) => {
      if (this.#wholes.has(pathKey(at))) return;
      const asked = this.#asked.get(pathKey(at)) ?? new Set<string>();
      for (const [key, child] of Object.entries(value)) {
        const path = [...at, key];
        if (!asked.has(key)) {
          const nearest = closest(key, [...asked]);
          throw this.error(path, nearest ? `unknown setting; did you mean ${nearest}?` : 'unknown setting; nothing is expected here');
        }
        if (isRecord(child)) visit(child, path);
        else if (this.#asked.has(pathKey(path)) && !this.#wholes.has(pathKey(path)) && child !== null) {
          throw this.error(path, 'expected a mapping of settings');
        }
      }
    };
    visit(this.merged, []);
  }

  error(fieldPath: FieldPath, message: string) {
    const source = this.owner.get(String(fieldPath[0])) ?? this.fallback;
    return fieldError(source, fieldPath, message);
  }

  private get(fieldPath: FieldPath): unknown {
    this.#ask(fieldPath);
    let value: unknown = this.merged;
    for (const part of fieldPath) {
      if (!isRecord(value)) return undefined;
      value = value[part as string];
    }
    return value === null ? undefined : value;
  }

  string(fieldPath: FieldPath): string | undefined {
    const value = this.get(fieldPath);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw this.error(fieldPath, 'must be a string');
    return value;
  }

  boolean(fieldPath: FieldPath): boolean | undefined {
    const value = this.get(fieldPath);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw this.error(fieldPath, 'must be true or false');
    return value;
  }

  number(fieldPath: FieldPath, limits: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    const value = this.get(fieldPath);
    if (value === undefined) return undefined;
    const valid =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (limits.min === undefined || value >= limits.min) &&
      (limits.max === undefined || value <= limits.max) &&
      (!limits.integer || Number.isInteger(value));
    if (!valid) {
      const range = [limits.min !== undefined ? `≥ ${limits.min}` : '', limits.max !== undefined ? `≤ ${limits.max}` : '']
        .filter(Boolean)
        .join(' and ');
      throw this.error(fieldPath, `must be ${limits.integer ? 'a whole number' : 'a number'}${range ? ` ${range}` : ''}`);
    }
    return value;
  }
}

function pathKey(fieldPath: FieldPath): string {
  return fieldPath.join('\u0000');
}
