import { Command, Option } from 'commander';

export function makeConversationsCommand(): Command {
  const command = new Command('conversations').description('list, show, export and delete saved conversations');
  command
    .command('list')
    .description('saved conversations, newest first')
    .option('--json', 'print JSON: id, title, created_at, updated_at, origin, model, messages, cost_usd')
    .action(async (options: { json?: boolean }) => {
      const { listConversations } = await import('./conversations.js');
      await listConversations(options);
    });
  command
    .command('show')
    .description('print a conversation (an id, a unique prefix of one, or "latest")')
    .argument('<id>', 'conversation id')
    .action(async (id: string) => {
      const { showConversation } = await import('./conversations.js');
      await showConversation(id);
    });
  command
    .command('export')
    .description('print a conversation as Markdown or JSON')
    .argument('<id>', 'conversation id')
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json']).default('md'))
    .action(async (id: string, options: { format: 'md' | 'json' }) => {
      const { exportConversation } = await import('./conversations.js');
      await exportConversation(id, options);
    });
  command
    .command('delete')
    .description('delete a conversation file')
    .argument('<id>', 'conversation id')
    .action(async (id: string) => {
      const { deleteConversation } = await import('./conversations.js');
      await deleteConversation(id);
    });
  command
    .command('reindex')
    .description('rebuild the index of saved conversations from their files (after editing one by hand)')
    .action(async () => {
      const { reindexConversations } = await import('./conversations.js');
      await reindexConversations();
    });
  return command;
}
