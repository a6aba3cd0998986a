/**
 * `llmo usage` for people: a table with a totals row and, on a terminal, a bar per row so the
 * trend shows at a glance. Machine readers use `--json` (usageJson) instead.
 */
import { addLocalDays, localDayKey } from './periods.js';
import { formatUsd, withCommas } from './pricing.js';
import { emptyTotals, type UsageGroup, type UsageSummary, type UsageTotals } from './summarise-usage.js';

export type Paint = (text: string, style: 'bold' | 'dim' | 'cyan' | 'yellow') => string;

export interface RenderOptions {
  /** Draw the bar column (stdout is a terminal). */
  chart: boolean;
  /** Terminal width in columns. */
  width?: number;
  paint?: Paint;
}

const HEADINGS = { day: 'DAY', model: 'MODEL', provider: 'PROVIDER', source: 'SOURCE' } as const;
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
/** Narrower bars than this cannot show a trend (and the heading's "calls" would not fit). */
const MIN_BAR_WIDTH = 5;

export function renderUsage(summary: UsageSummary, options: RenderOptions): string {
  const paint: Paint = options.paint ?? ((text) => text);
  const groups = summary.by === 'day' ? fillMissingDays(summary.groups) : summary.groups;
  // The cache and reasoning columns appear only when some call reported such tokens.
  const extra = extraColumns(summary.totals);
  const table: string[][] = [
    [HEADINGS[summary.by], 'CALLS', 'INPUT', ...extra.map((column) => column.heading), 'OUTPUT', 'COST', 'UNPRICED'],
  ];
  for (const group of groups) table.push(cells(group.key, group, extra));
  table.push(cells('TOTAL', summary.totals, extra));

  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  const lines = table.map((row) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '),
  );

  // Cost per row; where nothing is priced, calls per row, so the chart still shows the trend.
  const byCost = summary.totals.costUsd !== undefined && summary.totals.costUsd > 0;
  const metric = (group: UsageTotals) => (byCost ? (group.costUsd ?? 0) : group.calls);
  // The bars take what the terminal has left beside the table (up to 40 columns). Fewer than
  // MIN_BAR_WIDTH left: no chart at all, rather than bars that wrap every line of the table.
  const tableWidth = lines[0]!.length;
  const barWidth = Math.min(40, (options.width ?? 80) - tableWidth - 3);
  const chart = options.chart && barWidth >= MIN_BAR_WIDTH;
  const largest = Math.max(0, ...groups.map(metric));

  const output: string[] = [];
  lines.forEach((line, index) => {
    const isHeading = index === 0;
    const isTotal = index === lines.length - 1;
    let text = isHeading || isTotal ? paint(line, 'bold') : line;
    if (chart && !isTotal) {
      if (isHeading) text += `  ${paint(byCost ? 'cost' : 'calls', 'dim')}`;
      else text += `  ${paint(bar(metric(groups[index - 1]!), largest, barWidth), 'cyan')}`;
    }
    output.push(text.trimEnd());
  });
  if (summary.totals.unpricedCalls > 0) {
    output.push(
      paint(
        `${summary.totals.unpricedCalls} call${summary.totals.unpricedCalls === 1 ? '' : 's'} had no price (model unpriced in models.yaml, or no usage reported): not in COST`,
        'yellow',
      ),
    );
  }
  return `${output.join('\n')}\n`;
}

interface ExtraColumn {
  heading: string;
  value: (totals: UsageTotals) => number;
  /** How a cell shows its value (default: a token count). */
  format?: (value: number) => string;
}

const EXTRA_COLUMNS: readonly ExtraColumn[] = [
  { heading: 'CACHED', value: (totals) => totals.cachedInputTokens },
  { heading: 'CACHE WRITE', value: (totals) => totals.cacheWriteTokens },
  { heading: 'REASONING', value: (totals) => totals.reasoningTokens },
  { heading: 'CACHE SAVED', value: (totals) => totals.savedUsd, format: formatUsd },
  { heading: 'ROUTED', value: (totals) => totals.routedCalls, format: withCommas },
];

function extraColumns(totals: UsageTotals): ExtraColumn[] {
  return EXTRA_COLUMNS.filter((column) => column.value(totals) > 0);
}

function cells(key: string, totals: UsageTotals, extra: readonly ExtraColumn[]): string[] {
  return [
    key,
    withCommas(totals.calls),
    compact(totals.inputTokens),
    ...extra.map((column) => (column.format ?? compact)(column.value(totals))),
    compact(totals.outputTokens),
    totals.costUsd === undefined ? 'unpriced' : formatUsd(totals.costUsd),
    withCommas(totals.unpricedCalls),
  ];
}

/** 9,876 · 12.3k · 4.56M: exact figures are in --json. */
export function compact(count: number): string {
  if (count < 10_000) return withCommas(count);
  if (count < 1_000_000) return `${(count / 1000).toFixed(count < 100_000 ? 1 : 0)}k`;
  if (count < 1_000_000_000) return `${(count / 1_000_000).toFixed(count < 10_000_000 ? 2 : 1)}M`;
  return `${(count / 1_000_000_000).toFixed(2)}G`;
}

/** A bar in eighths of a cell; any non-zero value shows at least a sliver. */
export function bar(value: number, largest: number, width: number): string {
  if (value <= 0 || largest <= 0) return '';
  const eighths = Math.max(1, Math.round((value / largest) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

/** Days with no calls get a zero row: a gap in a trend chart would hide the quiet days. */
function fillMissingDays(groups: readonly UsageGroup[]): UsageGroup[] {
  if (groups.length < 2) return [...groups];
  const byKey = new Map(groups.map((group) => [group.key, group]));
  const [year, month, day] = groups[0]!.key.split('-').map(Number) as [number, number, number];
  const last = groups.at(-1)!.key;
  const filled: UsageGroup[] = [];
  for (
    let date = new Date(year, month - 1, day), key = localDayKey(date);
    key <= last;
    date = addLocalDays(date, 1), key = localDayKey(date)
  ) {
    filled.push(byKey.get(key) ?? { key, ...emptyTotals() });
    // A log spanning years would make a very long table; the rows with calls are what matter then.
    if (filled.length > 1000) return [...groups];
  }
  return filled;
}

/** `--json`: snake_case like the log and `ask --json`; cost_usd null means unpriced, never $0. */
export function usageJson(summary: UsageSummary, extra: { since: Date | undefined; skippedLines: number }) {
  const totals = (value: UsageTotals) => ({
    calls: value.calls,
    input_tokens: value.inputTokens,
    output_tokens: value.outputTokens,
    cached_input_tokens: value.cachedInputTokens,
    cache_write_tokens: value.cacheWriteTokens,
    reasoning_tokens: value.reasoningTokens,
    cost_usd: value.costUsd ?? null,
    unpriced_calls: value.unpricedCalls,
    error_calls: value.errorCalls,
    cache_saved_usd: value.savedUsd,
    routed_calls: value.routedCalls,
  });
  return {
    since: extra.since?.toISOString() ?? null,
    by: summary.by,
    groups: summary.groups.map((group) => ({ key: group.key, ...totals(group) })),
    totals: totals(summary.totals),
    skipped_lines: extra.skippedLines,
  };
}
