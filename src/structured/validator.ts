/**
 * Validation against the user's own schema (JSON Schema 2020-12, with formats), by Ajv. Ajv is
 * loaded here, on first use, so a run without a schema never pays for it; a schema is checked
 * against the meta-schema and compiled once per run.
 */
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
let ajvPromise: Promise<AjvInstance> | undefined;

async function loadAjv(): Promise<AjvInstance> {
  const [{ default: Ajv2020 }, { default: addFormats }] = await Promise.all([import('ajv/dist/2020.js'), import('ajv-formats')]);
  // allErrors: a repair prompt that lists every mistake at once takes fewer rounds.
  // strict off: unknown keywords (a vendor's propertyOrdering) are annotations, not errors.
  const ajv = new (Ajv2020 as unknown as typeof import('ajv/dist/2020.js').default)({ allErrors: true, strict: false });
  (addFormats as unknown as (ajv: AjvInstance) => void)(ajv);
  return ajv;
}

/**
 * Checks the schema itself (a broken one is a ConfigError, exit 3, naming `where` and the
 * problem), then compiles it. `locate` turns a place in the schema into `file:line` when known.
 */
export async function compileSchema(schema: JsonSchema, where: string, locate?: (pointer: string) => string): Promise<SchemaValidator> {
  ajvPromise ??= loadAjv();
  const ajv = await ajvPromise;
  const at = (pointer: string) => locate?.(pointer) ?? where;
  schema = as2020(schema);
  if (!ajv.validateSchema(schema)) {
    const first = ajv.errors?.[0];
    const pointer = first?.instancePath ?? '';
    throw new ConfigError(`${at(pointer)}: not a usable JSON Schema: ${pointer || '/'} ${first?.message ?? 'is invalid'}`, {
      hint: 'fix the schema (JSON Schema 2020-12); `llmo schema check FILE` shows every problem',
    });
  }
  let validate: ReturnType<AjvInstance['compile']>;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    throw new ConfigError(`${where}: not a usable JSON Schema: ${(error as Error).message}`, {
      hint: 'fix the schema (a $ref that points nowhere, say); `llmo schema check FILE` shows the problem',
    });
  }
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

function describeAjvError(error: { keyword: string; message?: string | undefined; params: Record<string, unknown> }): string {
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
