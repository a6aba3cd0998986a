import { Command } from 'commander';

export function makeAuthCommand(): Command {
  return new Command('auth')
    .description('(lands with its issue)')
    .action(async () => {
      const { auth } = await import('./auth.js');
      await auth({});
    });
}
