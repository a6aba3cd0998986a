/** `llmo schema show S`: the JSON Schema a concise form (or any other source) stands for. */
import { loadSchema } from '../../structured/load-schema.js';
import { getConfig } from '../context.js';

export async function showSchema(spec: string, options: { multi?: boolean }): Promise<void> {
  const { schema } = loadSchema(spec, { named: getConfig().settings.schemas, multi: Boolean(options.multi) });
  process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
}
