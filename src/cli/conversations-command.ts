import { Command } from 'commander';

export function makeConversationsCommand(): Command {
  return new Command('conversations')
    .description('(lands with its issue)')
    .action(async () => {
      const { conversations } = await import('./conversations.js');
      await conversations({});
    });
}
