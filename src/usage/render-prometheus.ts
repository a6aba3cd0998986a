/**
 * `llmo usage --format prometheus`: the usage log as Prometheus' text exposition format (version
 * 0.0.4), for node_exporter's textfile collector (`llmo usage --format prometheus >
 * /var/lib/node_exporter/llmo.prom`). Counters are totals over the records read; the budget
 * ratios are gauges of today's and this month's spend over the configured limits.
 */
import { startOfLocalDay, startOfLocalMonth } from './periods.js';
import type { UsageRecord } from './usage-record.js';

export interface PrometheusOptions {
  budgets: { dailyUsd: number | undefined; monthlyUsd: number | undefined };
  now?: Date;
}

type Labels = Record<string, string>;

class Family {
  readonly samples = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly type: 'counter' | 'gauge',
    readonly help: string,
  ) {}

  add(labels: Labels, value: number): void {
    const key = formatLabels(labels);
    const sample = this.samples.get(key);
    if (sample) sample.value += value;
    else this.samples.set(key, { labels, value });
  }
}

const TOKEN_TYPES = [
  ['input', 'input_tokens'],
  ['output', 'output_tokens'],
  ['cached_input', 'cached_input_tokens'],
  ['cache_write', 'cache_write_tokens'],
  ['reasoning', 'reasoning_tokens'],
] as const;

export function renderPrometheus(records: Iterable<UsageRecord>, options: PrometheusOptions): string {
  const now = options.now ?? new Date();
  const requests = new Family(
    'llmo_requests_total',
    'counter',
    'Model calls, by provider, model, status and whether the response cache answered.',
  );
  const tokens = new Family('llmo_tokens_total', 'counter', 'Tokens the vendors reported, by provider, model and type.');
  const cost = new Family(
    'llmo_cost_usd_total',
    'counter',
    'What the calls cost in US dollars (unpriced calls count 0), by provider and model.',
  );
  const cacheHits = new Family('llmo_cache_hits_total', 'counter', 'Requests answered from the response cache.');
  const cacheMisses = new Family('llmo_cache_misses_total', 'counter', 'Requests the response cache was asked for and did not have.');
  const routed = new Family('llmo_routed_requests_total', 'counter', 'Calls whose model -m auto chose, by mode, provider and model.');
  const saved = new Family(
    'llmo_prompt_cache_saved_usd_total',
    'counter',
    "What the vendors' prompt caches saved in US dollars, by provider and model.",
  );
  const budget = new Family(
    'llmo_budget_utilisation_ratio',
    'gauge',
    'Spend so far in the period over its configured budget (1 = all of it).',
  );
  cacheHits.add({}, 0);
  cacheMisses.add({}, 0);
  const dayStart = startOfLocalDay(now).getTime();
  const monthStart = startOfLocalMonth(now).getTime();
  let spentToday = 0;
  let spentThisMonth = 0;
  for (const record of records) {
    const who = { provider: record.provider, model: record.model };
    requests.add({ ...who, status: record.status, cached: record.cached ? 'true' : 'false' }, 1);
    for (const [type, field] of TOKEN_TYPES) {
      const count = record[field];
      if (count !== undefined) tokens.add({ ...who, type }, count);
    }
    cost.add(who, record.cost_usd ?? 0);
    if (record.routed) routed.add({ mode: record.routed, ...who }, 1);
    if (record.cache_saved_usd) saved.add(who, record.cache_saved_usd);
    if (record.cached === true) cacheHits.add({}, 1);
    if (record.cached === false) cacheMisses.add({}, 1);
    const time = Date.parse(record.time);
    if (time >= monthStart) spentThisMonth += record.cost_usd ?? 0;
    if (time >= dayStart) spentToday += record.cost_usd ?? 0;
  }
  if (options.budgets.dailyUsd) budget.add({ period: 'day' }, spentToday / options.budgets.dailyUsd);
  if (options.budgets.monthlyUsd) budget.add({ period: 'month' }, spentThisMonth / options.budgets.monthlyUsd);
  return [requests, tokens, cost, cacheHits, cacheMisses, routed, saved, budget].map(formatFamily).join('');
}

function formatFamily(family: Family): string {
  if (family.samples.size === 0) return '';
  const lines = [`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`];
  for (const { labels, value } of family.samples.values()) lines.push(`${family.name}${formatLabels(labels)} ${formatValue(value)}`);
  return `${lines.join('\n')}\n`;
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

/** The format's three escapes in label values: backslash, double quote and line feed. */
function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  // Sums of dollar amounts carry float noise (0.30000000000000004); 12 significant digits is plenty.
  return String(Number(value.toPrecision(12)));
}
