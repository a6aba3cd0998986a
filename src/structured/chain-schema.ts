/**
 * The chain schema (config/chain.schema.json, JSON Schema draft-07: what YAML editors read) as a
 * check: every place a chain breaks it, each as a `file:line: field: message` ConfigError. Ajv
 * loads here, on first use, so only `chain lint` and `chain new` pay for it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../config/paths.js';
import { type FieldPath, fieldError, type YamlFile } from '../config/yaml-file.js';
import type { ConfigError } from '../errors.js';

/** The shipped schema's path, for docs, prompts and `# yaml-language-server: $schema=…`. */
export function chainSchemaFile(): string {
  return path.join(packageRoot(), 'config', 'chain.schema.json');
}

export function readChainSchema(): string {
  return readFileSync(chainSchemaFile(), 'utf8');
}

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message?: string | undefined;
  params: Record<string, unknown>;
  parentSchema?: Record<string, unknown> | undefined;
}

type Validate = ((data: unknown) => boolean) & { errors?: AjvError[] | null | undefined };

let compiled: Promise<Validate> | undefined;

async function compile(): Promise<Validate> {
  const { default: Ajv } = (await import('ajv')) as unknown as {
    default: new (options: Record<string, unknown>) => { compile(schema: unknown): Validate };
  };
  // verbose: each error carries the schema it broke, whose description is the message people read.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
  return ajv.compile(JSON.parse(readChainSchema()));
}

/**
 * Checks one chain as written. `base` is where the chain sits in `source`: `[]` for a chain file
 * (checked as a whole file), `['chains', NAME]` for a chain of config.yaml.
 */
export async function checkChainSchema(source: YamlFile, base: FieldPath, definition: unknown): Promise<ConfigError[]> {
  compiled ??= compile();
  const validate = await compiled;
  const document = base.length === 0 ? definition : wrap(base, definition);
  if (validate(document)) return [];
  return describeErrors(validate.errors ?? []).map(({ at, message }) => fieldError(source, at, message));
}

function wrap(base: FieldPath, definition: unknown): unknown {
  return base.reduceRight<unknown>((inner, key) => ({ [key]: inner }), definition);
}

/**
 * Ajv reports a broken `anyOf` as the failure of each alternative plus the `anyOf` itself, and an
 * `if`/`then` as the `then` plus the `if`. People need one line per mistake: the constraint's own
 * description where the schema gives one (the schema's words are written for this), else a
 * plain sentence from the keyword.
 */
function describeErrors(errors: readonly AjvError[]): { at: (string | number)[]; message: string }[] {
  const kept = errors.filter((error) => error.keyword !== 'if' && !(error.keyword === 'false schema'));
  const umbrellas = kept.filter((error) => ['anyOf', 'oneOf', 'not'].includes(error.keyword));
  const visible = kept.filter((error) => !umbrellas.some((umbrella) => error.schemaPath.startsWith(`${umbrella.schemaPath}/`)));
  const lines = new Map<string, { at: (string | number)[]; message: string }>();
  for (const error of visible) {
    const at = pointerToPath(error.instancePath);
    const described = describe(error, at);
    const key = JSON.stringify(described);
    if (!lines.has(key)) lines.set(key, described);
  }
  return [...lines.values()];
}

function describe(error: AjvError, at: (string | number)[]): { at: (string | number)[]; message: string } {
  const schema = error.parentSchema ?? {};
  // A constraint written only to say something (no properties of its own) carries its message.
  const ownWords = typeof schema.description === 'string' && schema.properties === undefined ? schema.description : undefined;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(error.params.additionalProperty);
      const known = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
      return { at: [...at, field], message: `unknown field; expected one of ${known.join(', ')}` };
    }
    case 'required': {
      const missing = String(error.params.missingProperty);
      return { at, message: ownWords ?? `missing ${missing}` };
    }
    case 'enum':
      return { at, message: `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}` };
    case 'type':
      return { at, message: `must be ${String(error.params.type).split(',').join(' or ')}` };
    case 'pattern':
      return { at, message: typeof schema.description === 'string' ? `must be ${schema.description}` : `must not be blank` };
    case 'anyOf':
      return { at, message: ownWords ?? `must be ${alternatives(schema.anyOf)}` };
    default:
      return { at, message: ownWords ?? error.message ?? `breaks the ${error.keyword} rule` };
  }
}

/** "a string or a list" for an anyOf of types. */
function alternatives(options: unknown): string {
  if (!Array.isArray(options)) return 'something else';
  const words = options.map((option) => {
    const record = option as Record<string, unknown>;
    if (typeof record.$ref === 'string') return `a ${record.$ref.split('/').pop()}`;
    if (record.type === 'array') return 'a list';
    if (record.type === 'null') return 'empty';
    return `a ${String(record.type)}`;
  });
  return words.join(' or ');
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
