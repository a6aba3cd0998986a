/** `llmo usage`: totals from the usage log, as a table with a bar per row, or as JSON. */
import { parseGrouping, parseSince } from '../../usage/parse-since.js';
import { renderUsage, usageJson } from '../../usage/render-usage.js';
import { UsageSummariser } from '../../usage/summarise-usage.js';
import { forEachRecord } from '../../usage/usage-log.js';
import { getConfig } from '../context.js';
import { note, paint, useColor } from '../output.js';
import type { UsageOptions } from './usage-command.js';

export async function usage(options: UsageOptions): Promise<void> {
  const by = parseGrouping(options.by);
  const since = options.since === undefined ? undefined : parseSince(options.since);
  const { usageDir } = getConfig().paths;
  const summariser = new UsageSummariser(by);
  const { skipped, damaged } = await forEachRecord(usageDir, since ? { since } : {}, (record) => summariser.add(record));
  if (skipped > 0) {
    const shown = damaged.slice(0, 5).join(', ');
    note(
      `skipped ${skipped} damaged line${skipped === 1 ? '' : 's'} in the usage log (${usageDir}): ${shown}${damaged.length > 5 ? ', …' : ''}`,
    );
  }
  const summary = summariser.summary();

  if (options.json) {
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
      chart: terminal,
      ...(process.stdout.columns ? { width: process.stdout.columns } : {}),
      paint: (text, style) => paint(text, style, color),
    }),
  );
}
