import { Command } from 'commander';

export interface UsageOptions {
  since?: string;
  by?: string;
  json?: boolean;
  format?: string;
  chart?: boolean;
}

export function makeUsageCommand(): Command {
  return new Command('usage')
    .description('what your calls cost: totals per day, model, provider or source, from the usage log')
    .option('--since <when>', 'only calls since: 24h, 7d (today and the 6 days before), 2w, 2026-11, 2026-11-01 (default: all)')
    .option('--by <group>', 'group by day, model, provider or source', 'day')
    .option('--json', 'print JSON: groups and totals (cost_usd null means unpriced)')
    .option('--format <format>', "table (default), json, or prometheus: the text exposition format, for node_exporter's textfile collector")
    .option('--chart', 'spend per day as a bar chart, even when stdout is not a terminal')
    .action(async (options: UsageOptions) => {
      const { usage } = await import('./usage.js');
      await usage(options);
    });
}
