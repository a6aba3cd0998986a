/**
 * The schema flags every command shares (--schema, --schema-multi, --repair), read and checked
 * before anything is sent: a broken schema is exit 3, a bad --repair exit 2. Loaded only when a
 * schema flag is given, so a plain run never loads the validator.
 */
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { type PreparedSchema, prepareSchema } from '../../structured/prepare-schema.js';
import { getConfig } from '../context.js';
import { parseNumberFlag } from '../parse-number.js';

export interface SchemaFlags {
  schema?: string | undefined;
  schemaMulti?: string | undefined;
  repair?: string | undefined;
}

export interface SchemaChoice {
  schema: PreparedSchema;
  /** How many times an invalid reply is sent back for correction (default 2). */
  repairs: number;
}

export async function prepareSchemaFlags(flags: SchemaFlags): Promise<SchemaChoice> {
  if (flags.schema !== undefined && flags.schemaMulti !== undefined) {
    throw new UsageError('give --schema or --schema-multi, not both', { hint: '--schema-multi S asks for a list of objects matching S' });
  }
  const repairs = parseNumberFlag('--repair', flags.repair, { min: 0, max: 10, integer: true }) ?? 2;
  const spec = (flags.schema ?? flags.schemaMulti)!;
  const config = getConfig();
  const schema = await prepareSchema(spec, {
    named: config.settings.schemas,
    multi: flags.schemaMulti !== undefined,
    cacheDir: schemaCacheDir(config.paths.runtimeDir),
  });
  return { schema, repairs };
}

/** Whether any schema flag was given. */
export function wantsSchema(flags: SchemaFlags): boolean {
  return flags.schema !== undefined || flags.schemaMulti !== undefined;
}

/** Compiled validators of schemas already checked, kept beside the configuration cache. */
export function schemaCacheDir(runtimeDir: string): string {
  return path.join(runtimeDir, 'schemas');
}
