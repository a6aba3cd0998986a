import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseYaml } from '../config/yaml-file.js';
import { ConfigError } from '../errors.js';
import { loadSchema } from './load-schema.js';
import { prepareSchema } from './prepare-schema.js';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'llmo-schema-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function write(name: string, text: string): string {
  writeFileSync(path.join(directory, name), text);
  return name;
}

function thrown(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadSchema', () => {
  it('reads inline JSON, a JSON file, a YAML file, a configured name and the concise form', () => {
    expect(loadSchema('{"type": "object"}')).toMatchObject({ schema: { type: 'object' }, where: 'inline JSON schema' });
    write('person.json', '{"type": "object", "properties": {"name": {"type": "string"}}}');
    expect(loadSchema('person.json', { cwd: directory })).toMatchObject({ name: 'person', where: 'person.json' });
    write('movie.yaml', 'type: object\nproperties:\n  title: { type: string }\n');
    expect(loadSchema('movie.yaml', { cwd: directory }).schema).toEqual({ type: 'object', properties: { title: { type: 'string' } } });
    const config = parseYaml('config.yaml', 'schemas:\n  dog: "name, age int"\n  cat:\n    type: object\n');
    const named = new Map(
      Object.entries((config.value as { schemas: Record<string, unknown> }).schemas).map(([key, definition]) => [
        key,
        { definition, source: config },
      ]),
    );
    expect(loadSchema('dog', { named }).schema.required).toEqual(['name', 'age']);
    expect(loadSchema('cat', { named })).toMatchObject({ schema: { type: 'object' }, name: 'cat', where: 'schemas.cat (config.yaml:3)' });
    expect(loadSchema('title, year int').schema.required).toEqual(['title', 'year']);
  });

  it('wraps the schema for --schema-multi', () => {
    expect(loadSchema('name', { multi: true }).schema).toMatchObject({ properties: { items: { type: 'array' } }, required: ['items'] });
  });

  it('names the file, line and column of a JSON syntax error', () => {
    write('broken.json', '{\n  "type": "object",\n  "properties": {\n    "a": {"type": "string"},\n  }\n}\n');
    const error = thrown(() => loadSchema('broken.json', { cwd: directory }));
    expect(error.message).toBe('broken.json:5:3: invalid JSON: Expected double-quoted property name');
    expect(error.exitCode).toBe(3);
  });

  it('names the file and line of a YAML syntax error', () => {
    write('broken.yaml', 'type: object\nproperties:\n  a: { type: string\n');
    expect(thrown(() => loadSchema('broken.yaml', { cwd: directory })).message).toMatch(/^broken\.yaml:\d+:\d+: invalid YAML/);
  });

  it('says so when the file is missing, or the JSON is not a schema', () => {
    expect(thrown(() => loadSchema('missing.json', { cwd: directory })).message).toBe('schema file missing.json: no such file');
    expect(thrown(() => loadSchema('{"a": 1')).message).toMatch(/^inline JSON schema:1:8: invalid JSON/);
    write('list.json', '[1]');
    expect(thrown(() => loadSchema('list.json', { cwd: directory })).message).toBe(
      'list.json: a schema is a JSON object (or true/false), not a list',
    );
  });
});

describe('prepareSchema', () => {
  it('refuses a schema that breaks the meta-schema, naming the line and the problem', async () => {
    write('bad-type.json', '{\n  "type": "object",\n  "properties": {\n    "age": {"type": "integr"}\n  }\n}\n');
    const error = (await prepareSchema('bad-type.json', { cwd: directory }).catch((caught: unknown) => caught)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(
      /^bad-type\.json:4: not a usable JSON Schema: \/properties\/age\/type must be equal to one of the allowed values/,
    );
  });

  it('refuses a $ref that points nowhere', async () => {
    await expect(prepareSchema('{"$ref": "#/$defs/nothing"}')).rejects.toThrow(
      /inline JSON schema: not a usable JSON Schema: can't resolve reference/,
    );
  });

  it('validates with formats and reports each problem with its JSON path', async () => {
    const { validator, responseFormat } = await prepareSchema(
      '{"type":"object","properties":{"email":{"type":"string","format":"email"},"age":{"type":"integer"}},"required":["age"],"additionalProperties":false}',
    );
    expect(responseFormat).toMatchObject({ type: 'json', name: 'response' });
    expect(validator.validate({ age: 3, email: 'a@b.example' })).toEqual([]);
    expect(validator.validate({ email: 'nope', extra: 1 })).toEqual([
      { path: '/', message: "must have required property 'age'" },
      { path: '/', message: 'has an unexpected property "extra"' },
      { path: '/email', message: 'must match format "email"' },
    ]);
  });

  it('keeps a checked schema as a compiled validator, which the next run uses as it is', async () => {
    const cacheDir = path.join(directory, 'cache');
    const spec =
      '{"type":"object","properties":{"email":{"type":"string","format":"email"},"tags":{"type":"array","uniqueItems":true}},"required":["email"]}';
    const first = await prepareSchema(spec, { cacheDir });
    expect(readdirSync(cacheDir)).toHaveLength(1);
    const second = await prepareSchema(spec, { cacheDir });
    const value = { email: 'nope', tags: [1, 1] };
    expect(second.validator.validate(value)).toEqual(first.validator.validate(value));
    expect(second.validator.validate(value).map((issue) => issue.path)).toEqual(['/email', '/tags']);
    expect(second.validator.validate({ email: 'a@b.example' })).toEqual([]);
  });

  it('reads a draft-07 schema as 2020-12', async () => {
    const { validator } = await prepareSchema(
      '{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "required": ["a"]}',
    );
    expect(validator.validate({})).toHaveLength(1);
  });
});
