import { Command } from 'commander';

export function makeParallelCommand(): Command {
  return new Command('parallel')
    .description('(lands with its issue)')
    .action(async () => {
      const { parallel } = await import('./parallel.js');
      await parallel({});
    });
}
