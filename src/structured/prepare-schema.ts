/**
 * A schema ready for a run: read from wherever it was given, checked against the meta-schema and
 * compiled once; what callers hand to the orchestrator's structured call.
 */
import type { ResponseFormat } from '../providers/spec.js';
import { type LoadedSchema, type LoadSchemaOptions, loadSchema } from './load-schema.js';
import { compileSchema, type SchemaValidator } from './validator.js';

export interface PreparedSchema {
  loaded: LoadedSchema;
  validator: SchemaValidator;
  /** What the request carries: adapters turn it into the vendor's native structured output. */
  responseFormat: ResponseFormat;
}

export interface PrepareOptions extends LoadSchemaOptions {
  /** Where checked schemas are kept as compiled validators, so a repeated schema skips Ajv (see validator.ts). */
  cacheDir?: string | undefined;
}

export async function prepareSchema(spec: string, options: PrepareOptions = {}): Promise<PreparedSchema> {
  const loaded = loadSchema(spec, options);
  return prepareLoaded(loaded, options.cacheDir);
}

export async function prepareLoaded(loaded: LoadedSchema, cacheDir?: string): Promise<PreparedSchema> {
  const validator = await compileSchema(loaded.schema, loaded.where, loaded.locate, cacheDir);
  const description = typeof loaded.schema.description === 'string' ? loaded.schema.description : undefined;
  return {
    loaded,
    validator,
    responseFormat: { type: 'json', schema: loaded.schema, name: loaded.name, ...(description ? { description } : {}) },
  };
}
