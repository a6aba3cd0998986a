import { Command } from 'commander';

export function makeUsageCommand(): Command {
  return new Command('usage')
    .description('(lands with its issue)')
    .action(async () => {
      const { usage } = await import('./usage.js');
      await usage({});
    });
}
