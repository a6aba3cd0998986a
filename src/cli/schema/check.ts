/** `llmo schema check S`: meta-validation first (exit 3 when broken), then what each vendor drops. */
import { prepareSchema } from '../../structured/prepare-schema.js';
import { vendorNotes } from '../../structured/vendor-limits.js';
import { getConfig } from '../context.js';

export async function checkSchema(spec: string, options: { multi?: boolean }): Promise<void> {
  const { loaded } = await prepareSchema(spec, { named: getConfig().settings.schemas, multi: Boolean(options.multi) });
  const lines = [`${loaded.where}: a usable JSON Schema (draft 2020-12)`, ''];
  for (const { vendor, summary, notes } of vendorNotes(loaded.schema)) {
    lines.push(`${vendor.padEnd(10)} ${summary}${notes.length ? '' : '; nothing dropped'}`);
    for (const { pointer, note } of notes) lines.push(`  ${pointer || '/'}: ${note}`);
  }
  lines.push('', 'llmo validates every reply against the schema as written, whatever a vendor drops.');
  process.stdout.write(`${lines.join('\n')}\n`);
}
