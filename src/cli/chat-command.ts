import { Command } from 'commander';

export function makeChatCommand(): Command {
  return new Command('chat')
    .description('(lands with its issue)')
    .action(async () => {
      const { chat } = await import('./chat.js');
      await chat({});
    });
}
