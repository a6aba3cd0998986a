/**
 * Where a schema comes from (`--schema S`, a chain step's `schema:`): inline JSON, a file
 * (`.json`, `.yaml`, `.yml`), a name under `schemas:` in config.yaml, or the concise form.
 * Tried in that order, so a word that names neither a file nor a configured schema is read as a
 * one-field concise schema. Syntax errors are ConfigErrors (exit 3) naming the file and line.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseYaml, type FieldPath, type YamlFile } from '../config/yaml-file.js';
import { ConfigError } from '../errors.js';
import type { JsonSchema } from '../providers/spec.js';
import { parseConciseSchema, wrapMulti } from './concise-schema.js';
import { jsonErrorOffset, lineAndColumn } from './json-error-offset.js';

/** A schema under `schemas:` in config, with the file it was written in. */
export interface NamedSchema {
  definition: unknown;
  source: YamlFile;
}

export interface LoadedSchema {
  schema: JsonSchema;
  /** A short identifier for the vendors that want one (letters, digits, _ and -). */
  name: string;
  /** Where it came from, for messages: a file, `schemas.NAME in FILE`, `inline JSON`, `concise form`. */
  where: string;
  /** `file:line` of a place in the schema (a JSON pointer), where the source can tell. */
  locate?: (pointer: string) => string;
}

export interface LoadSchemaOptions {
  named?: ReadonlyMap<string, NamedSchema>;
  /** Wrap as `{ items: [ … ] }` (`--schema-multi`). */
  multi?: boolean;
  /** Relative file names are read from here (default: the working directory). */
  cwd?: string;
}

export function loadSchema(spec: string, options: LoadSchemaOptions = {}): LoadedSchema {
  const loaded = loadPlain(spec.trim(), options);
  if (!options.multi) return loaded;
  const { locate: _unused, ...rest } = loaded;
  return { ...rest, schema: wrapMulti(loaded.schema), name: `${loaded.name}_list` };
}

function loadPlain(spec: string, options: LoadSchemaOptions): LoadedSchema {
  if (spec === '')
    throw new ConfigError('the schema is empty', {
      hint: 'give a file, inline JSON, a name from schemas: in config.yaml, or "name, age int"',
    });
  if (spec.startsWith('{'))
    return {
      schema: asSchema(parseJsonText('inline JSON schema', spec), 'inline JSON schema'),
      name: 'response',
      where: 'inline JSON schema',
    };
  const file = path.resolve(options.cwd ?? process.cwd(), spec);
  if (/\.(json|ya?ml)$/i.test(spec) || isFile(file)) return loadFile(file, spec);
  const named = options.named?.get(spec);
  if (named) return loadNamed(spec, named);
  return { schema: parseConciseSchema(spec), name: 'response', where: 'concise schema' };
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function loadFile(file: string, shown: string): LoadedSchema {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ConfigError(
      `schema file ${shown}: ${missing ? 'no such file' : (error as Error).message}`,
      missing ? { hint: 'check the path; inline JSON starts with {, and the concise form is "name, age int"' } : {},
    );
  }
  const yaml = /\.ya?ml$/i.test(file);
  // JSON is YAML too, so one parse of either gives every value its line for later messages.
  const document = yaml ? parseYaml(shown, text) : undefined;
  const schema = document ? document.value : parseJsonText(shown, text);
  const located = document ?? safeYaml(shown, text);
  return {
    schema: asSchema(schema, shown),
    name: identifier(path.basename(file).replace(/\.(json|ya?ml)$/i, '')),
    where: shown,
    ...(located ? { locate: (pointer: string) => located.locate(pointerPath(pointer)) } : {}),
  };
}

function loadNamed(name: string, named: NamedSchema): LoadedSchema {
  const fieldPath = ['schemas', name];
  const where = named.source.locate(fieldPath);
  const { definition } = named;
  if (typeof definition === 'string') {
    // A configured schema in the concise form, or inline JSON.
    const schema = definition.trim().startsWith('{')
      ? parseJsonText(`${where}: schemas.${name}`, definition)
      : parseConciseSchema(definition);
    return { schema: asSchema(schema, `${where}: schemas.${name}`), name: identifier(name), where: `schemas.${name} (${where})` };
  }
  return {
    schema: asSchema(definition, `${where}: schemas.${name}`),
    name: identifier(name),
    where: `schemas.${name} (${where})`,
    locate: (pointer) => named.source.locate([...fieldPath, ...pointerPath(pointer)]),
  };
}

function parseJsonText(where: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const offset = jsonErrorOffset(text) ?? 0;
    const { line, column } = lineAndColumn(text, offset);
    const reason = (error as Error).message.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/s, '');
    throw new ConfigError(`${where}:${line}:${column}: invalid JSON: ${reason}`, {
      hint: 'fix the JSON at that line (a missing comma or quote, a trailing comma)',
    });
  }
}

function safeYaml(file: string, text: string): YamlFile | undefined {
  try {
    return parseYaml(file, text);
  } catch {
    return undefined;
  }
}

function asSchema(value: unknown, where: string): JsonSchema {
  if (typeof value === 'boolean') return value ? {} : { not: {} };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`${where}: a schema is a JSON object (or true/false), not ${Array.isArray(value) ? 'a list' : typeof value}`);
  }
  return value as JsonSchema;
}

/** `/properties/age/type` → ['properties', 'age', 'type'] (RFC 6901 escapes undone). */
function pointerPath(pointer: string): FieldPath {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function identifier(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 64);
  return cleaned === '' ? 'response' : cleaned;
}
