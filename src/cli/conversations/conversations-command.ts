import { Command, Option } from 'commander';

export function makeConversationsCommand(): Command {
  const command = new Command('conversations').description('list, show, export and delete saved conversations');
  command
    .command('list')
    .description('saved conversations, newest first (the newest 50 unless --limit or --all)')
    .option('--limit <n>', 'at most this many conversations (default 50)')
    .option('--all', 'every saved conversation')
    .option('--json', 'print JSON: id, title, created_at, updated_at, origin, model, messages, cost_usd, parent (of a branch)')
    .action(async (options: { json?: boolean; limit?: string; all?: boolean }) => {
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
    .command('search')
    .description('find saved conversations that mention TEXT (any case), newest first, each match in its context')
    .argument('<text...>', 'the words to find, as one phrase')
    .option('-m, --model <ref>', 'only conversations with replies from this model (provider:model, an alias or a provider)')
    .option('--since <when>', 'only conversations updated since: 24h, 7d, 2w, 2026-11 or 2026-11-01')
    .option('--limit <n>', 'at most this many conversations (default 50)')
    .option('--json', 'print JSON: id, title, updated_at, model, matches (message, who, excerpt, start, end), total')
    .action(async (words: string[], options: { model?: string; since?: string; limit?: string; json?: boolean }) => {
      const { searchCommand } = await import('./conversation-search.js');
      await searchCommand(words, options);
    });
  command
    .command('tree')
    .description('the branches around a conversation (/fork and /edit in the chat), from its oldest saved ancestor')
    .argument('<id>', 'conversation id, a unique prefix of one, or "latest"')
    .action(async (id: string) => {
      const { treeCommand } = await import('./conversation-search.js');
      await treeCommand(id);
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
