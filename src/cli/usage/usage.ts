/** `llmo usage`: totals from the usage log, as a table with a bar per row, or as JSON. */
import { parseGrouping, parseSince } from '../../usage/parse-since.js';
import { renderUsage, usageJson } from '../../usage/render-usage.js';
import { UsageSummariser } from '../../usage/summarise-usage.js';
import { UsageError } from '../../errors.js';
import { readRecords } from '../../usage/usage-log.js';
import { summariseLog } from '../../usage/usage-totals.js';
import { getConfig } from '../context.js';
import { note, paint, useColor } from '../output.js';
import type { UsageOptions } from './usage-command.js';

const FORMATS = ['table', 'json', 'prometheus'];

export async function usage(options: UsageOptions): Promise<void> {
  const format = options.format ?? (options.json ? 'json' : 'table');
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}; got "${options.format}"`);
  // The chart is of spend per day, whatever --by says.
  const by = options.chart ? 'day' : parseGrouping(options.by);
  const since = options.since === undefined ? undefined : parseSince(options.since);
  const { usageDir } = getConfig().paths;
  if (format === 'prometheus') {
    const { renderPrometheus } = await import('../../usage/render-prometheus.js');
    const { records, skipped } = await readRecords(usageDir, since ? { since } : {});
    if (skipped > 0) note(`skipped ${skipped} damaged line${skipped === 1 ? '' : 's'} in the usage log (${usageDir})`);
    process.stdout.write(renderPrometheus(records, { budgets: getConfig().settings.budgets }));
    return;
  }
  const summariser = new UsageSummariser(by);
  const { skipped } = await summariseLog(usageDir, since, summariser);
  if (skipped > 0) note(`skipped ${skipped} damaged line${skipped === 1 ? '' : 's'} in the usage log (${usageDir})`);
  const summary = summariser.summary();

  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(usageJson(summary, { since, skippedLines: skipped }), null, 2)}\n`);
    return;
  }
  if (summary.totals.calls === 0) {
    note(`no calls recorded${since ? ` since ${since.toLocaleString()}` : ''} (usage log: ${usageDir})`);
    return;
  }
  const terminal = Boolean(process.stdout.isTTY);
  const color = useColor(process.stdout);
  process.stdout.write(
    renderUsage(summary, {
      chart: terminal || options.chart === true,
      // Off a terminal there is no width to fit: --chart gets room for its bars.
      ...(process.stdout.columns ? { width: process.stdout.columns } : options.chart ? { width: 120 } : {}),
      paint: (text, style) => paint(text, style, color),
    }),
  );
}
