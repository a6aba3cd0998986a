/**
 * Validation against the user's own schema (JSON Schema 2020-12, with formats), by Ajv. Ajv is
 * loaded here, on first use, so a run without a schema never pays for it; a schema is checked
 * against the meta-schema and compiled once per run.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { JsonSchema } from '../providers/spec.js';
import { ConfigError } from '../errors.js';

/** One reason a value does not match: where (a JSON pointer, `/` for the whole value) and why. */
export interface ValidationIssue {
  path: string;
  message: string;
}

export interface SchemaValidator {
  readonly schema: JsonSchema;
  /** The issues, in Ajv's order; empty when the value matches. */
  validate(data: unknown): ValidationIssue[];
}

type AjvInstance = import('ajv/dist/2020.js').default;
type CompiledValidate = ((data: unknown) => boolean) & { errors?: AjvErrorLike[] | null | undefined };
interface AjvErrorLike {
  instancePath: string;
  keyword: string;
  message?: string | undefined;
  params: Record<string, unknown>;
}

let ajvPromise: Promise<{ ajv: AjvInstance; standaloneCode: (ajv: AjvInstance, validate: unknown) => string }> | undefined;

async function loadAjv() {
  const [ajvModule, { default: addFormats }, { default: standaloneCode }] = await Promise.all([
    import('ajv/dist/2020.js'),
    import('ajv-formats'),
    import('ajv/dist/standalone/index.js'),
  ]);
  const Ajv2020 = ajvModule.default;
  // Node's ESM wrapper names the CommonJS exports; a bundle gives module.exports only, where `_` is a property of the class.
  const _ = ajvModule._ ?? (Ajv2020 as unknown as { _: typeof ajvModule._ })._;
  // allErrors: a repair prompt that lists every mistake at once takes fewer rounds.
  // strict off: unknown keywords (a vendor's propertyOrdering) are annotations, not errors.
  // code.source: each compiled validator is also kept as code, for the cache below.
  const ajv = new (Ajv2020 as unknown as typeof import('ajv/dist/2020.js').default)({
    allErrors: true,
    strict: false,
    code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
  });
  (addFormats as unknown as (ajv: AjvInstance) => void)(ajv);
  return { ajv, standaloneCode: standaloneCode as unknown as (ajv: AjvInstance, validate: unknown) => string };
}

/**
 * Loading Ajv and checking a schema against the 2020-12 meta-schema cost a few hundred ms; a
 * script that asks with the same schema in a loop should pay that once. So a schema that passed
 * is kept, as the validator code Ajv generated for it, in a per-user cache keyed by the schema's
 * content: the next run loads that small module and never loads Ajv. Any problem with the cache
 * means "compile it again", never an error.
 */
const CACHE_FORMAT = 1;
const requireHere = createRequire(import.meta.url);

function cacheFile(cacheDir: string, schema: JsonSchema): string {
  const key = createHash('sha256')
    .update(`${CACHE_FORMAT}\n${JSON.stringify(schema)}`)
    .digest('hex')
    .slice(0, 32);
  return path.join(cacheDir, `${key}.cjs`);
}

function loadCached(file: string): CompiledValidate | undefined {
  try {
    const validate = requireHere(file) as CompiledValidate;
    return typeof validate === 'function' ? validate : undefined;
  } catch {
    return undefined;
  }
}

function storeCached(file: string, code: string): void {
  try {
    // The generated code requires Ajv's runtime helpers by package name; the cache lives outside
    // the package, so each is pointed at the file this installation has.
    const linked = code.replace(/require\("([^"]+)"\)/g, (_whole, name: string) => `require(${JSON.stringify(requireHere.resolve(name))})`);
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, linked, { mode: 0o600 });
    renameSync(temporary, file);
  } catch {
    // A cache that cannot be written only costs the next run the compilation.
  }
}

/**
 * Checks the schema itself (a broken one is a ConfigError, exit 3, naming `where` and the
 * problem), then compiles it. `locate` turns a place in the schema into `file:line` when known.
 */
export async function compileSchema(
  schema: JsonSchema,
  where: string,
  locate?: (pointer: string) => string,
  cacheDir?: string,
): Promise<SchemaValidator> {
  const cached = cacheDir === undefined ? undefined : cacheFile(cacheDir, schema);
  const fromCache = cached === undefined ? undefined : loadCached(cached);
  if (fromCache) return validatorOf(schema, fromCache);
  ajvPromise ??= loadAjv();
  const { ajv, standaloneCode } = await ajvPromise;
  const at = (pointer: string) => locate?.(pointer) ?? where;
  const checked = as2020(schema);
  if (!ajv.validateSchema(checked)) {
    const first = ajv.errors?.[0];
    const pointer = first?.instancePath ?? '';
    throw new ConfigError(`${at(pointer)}: not a usable JSON Schema: ${pointer || '/'} ${first?.message ?? 'is invalid'}`, {
      hint: 'fix the schema (JSON Schema 2020-12); `llmo schema check FILE` shows every problem',
    });
  }
  let validate: CompiledValidate;
  try {
    validate = ajv.compile(checked) as CompiledValidate;
  } catch (error) {
    throw new ConfigError(`${where}: not a usable JSON Schema: ${(error as Error).message}`, {
      hint: 'fix the schema (a $ref that points nowhere, say); `llmo schema check FILE` shows the problem',
    });
  }
  if (cached !== undefined) storeCached(cached, standaloneCode(ajv, validate));
  return validatorOf(schema, validate);
}

function validatorOf(schema: JsonSchema, validate: CompiledValidate): SchemaValidator {
  return {
    schema,
    validate(data) {
      if (validate(data)) return [];
      return (validate.errors ?? []).map((error) => ({ path: error.instancePath || '/', message: describeAjvError(error) }));
    },
  };
}

/**
 * Schemas written for draft-07 or 2019-09 name their dialect in `$schema`, which Ajv's 2020
 * build does not load; their keywords mean the same in 2020-12 but for the array form of
 * `items`, which meta-validation then reports. So the dialect line is read as 2020-12.
 */
function as2020(schema: JsonSchema): JsonSchema {
  if (typeof schema.$schema !== 'string' || schema.$schema.includes('2020-12')) return schema;
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

function describeAjvError(error: AjvErrorLike): string {
  if (error.keyword === 'additionalProperties') return `has an unexpected property "${String(error.params.additionalProperty)}"`;
  if (error.keyword === 'enum')
    return `${error.message ?? 'must be one of the allowed values'}: ${JSON.stringify(error.params.allowedValues)}`;
  return error.message ?? `fails ${error.keyword}`;
}

/** Issues as lines for a person or a repair prompt: `/age: must be integer`. */
export function describeIssues(issues: readonly ValidationIssue[], limit = issues.length): string[] {
  const lines = issues.slice(0, limit).map((issue) => `${issue.path}: ${issue.message}`);
  if (issues.length > limit) lines.push(`… and ${issues.length - limit} more`);
  return lines;
}
