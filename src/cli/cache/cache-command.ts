import { Command } from 'commander';

export function makeCacheCommand(): Command {
  const command = new Command('cache').description('the response cache (--cache, cache.enabled): what it holds, pruning, clearing');
  command
    .command('stats')
    .description('entries, size, expired entries and limits, and hits and misses from the usage log')
    .action(async () => {
      const { cacheStats } = await import('./cache.js');
      await cacheStats();
    });
  command
    .command('prune')
    .description('remove expired and damaged entries, then the least recently used past cache.max_mb')
    .action(async () => {
      const { cachePrune } = await import('./cache.js');
      await cachePrune();
    });
  command
    .command('clear')
    .description('remove every entry')
    .action(async () => {
      const { cacheClear } = await import('./cache.js');
      await cacheClear();
    });
  return command;
}
