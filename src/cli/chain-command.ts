import { Command } from 'commander';

export function makeChainCommand(): Command {
  return new Command('chain')
    .description('(lands with its issue)')
    .action(async () => {
      const { chain } = await import('./chain.js');
      await chain({});
    });
}
