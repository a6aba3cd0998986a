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

export async function prepareSchema(spec: string, options: LoadSchemaOptions = {}): Promise<PreparedSchema> {
  const loaded = loadSchema(spec, options);
  return prepareLoaded(loaded);
}

export async function prepareLoaded(loaded: LoadedSchema): Promise<PreparedSchema> {
  const validator = await compileSchema(loaded.schema, loaded.where, loaded.locate);
  const description = typeof loaded.schema.description === 'string' ? loaded.schema.description : undefined;
  return {
    loaded,
    validator,
    responseFormat: { type: 'json', schema: loaded.schema, name: loaded.name, ...(description ? { description } : {}) },
  };
}
