/** `llmo conversations list|show|export|delete`: the saved conversations, for people and scripts. */
import { createConversationStore, toMarkdown, toTranscript, type Conversation, type ConversationStore } from '../../conversations/index.js';
import { UsageError } from '../../errors.js';
import { formatUsd, withCommas } from '../../usage/pricing.js';
import { requireProfile, resolvePaths } from '../../config/paths.js';
import { parseNumberFlag } from '../parse-number.js';
import { paint, useColor, warn } from '../output.js';

/** The store needs only where the files are: no configuration is read (or can stop a listing). */
function openStore(): ConversationStore {
  const paths = resolvePaths();
  requireProfile(paths);
  return createConversationStore(paths.conversationsDir);
}

/** Conversations `list` shows unless told otherwise, as `search` does: the newest first. */
const LIST_DEFAULT = 50;

export async function listConversations(options: { json?: boolean; limit?: string; all?: boolean }): Promise<void> {
  const limit = options.all ? undefined : (parseNumberFlag('--limit', options.limit, { min: 1, integer: true }) ?? LIST_DEFAULT);
  const store = openStore();
  const { conversations, problems, total } =
    limit === undefined ? await store.list().then((all) => ({ ...all, total: all.conversations.length })) : await store.newest(limit);
  // A corrupt file is reported and skipped; the rest of the list is still useful.
  for (const problem of problems) warn(`skipped ${problem.file}: ${problem.reason}`);
  if (conversations.length < total) {
    process.stderr.write(`showing the newest ${conversations.length} of ${withCommas(total)}; --limit N or --all shows more\n`);
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(conversations, null, 2)}\n`);
    return;
  }
  if (conversations.length === 0) {
    process.stderr.write('no saved conversations yet (llmo chat and llmo ask save theirs)\n');
    return;
  }
  const color = useColor(process.stdout);
  const rows = [['ID', 'UPDATED', 'MSGS', 'COST', 'MODEL', 'TITLE']];
  for (const summary of conversations) {
    rows.push([
      summary.id,
      localTime(summary.updated_at),
      String(summary.messages),
      summary.cost_usd === null ? '' : formatUsd(summary.cost_usd),
      summary.model,
      summary.title,
    ]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  // One write for the whole table: 10,000 rows written one by one cost more than building them.
  const lines = rows.map((row, index) => {
    const text = row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
    return index === 0 ? paint(text, 'bold', color) : text;
  });
  process.stdout.write(`${lines.join('\n')}\n`);
}

export async function showConversation(id: string): Promise<void> {
  process.stdout.write(toTranscript(await load(id), formatUsd));
}

export async function exportConversation(id: string, options: { format: 'md' | 'json' }): Promise<void> {
  const conversation = await load(id);
  process.stdout.write(options.format === 'json' ? `${JSON.stringify(conversation, null, 2)}\n` : toMarkdown(conversation, formatUsd));
}

export async function deleteConversation(id: string): Promise<void> {
  const deleted = await openStore().remove(id);
  process.stderr.write(`deleted ${deleted}\n`);
}

export async function reindexConversations(): Promise<void> {
  const store = openStore();
  const { conversations, problems } = await store.reindex();
  process.stderr.write(
    `indexed ${conversations} conversation${conversations === 1 ? '' : 's'}${problems ? `, ${problems} unreadable (llmo conversations list names them)` : ''} in ${store.directory}\n`,
  );
}

async function load(id: string): Promise<Conversation> {
  const store = openStore();
  if (id === 'latest') {
    const latest = await store.latest();
    if (!latest) throw new UsageError('no saved conversations yet', { hint: 'llmo chat and llmo ask save theirs' });
    return latest;
  }
  return store.load(id);
}

/** `2025-06-01 09:30` in the user's time zone. */
export function localTime(iso: string): string {
  const date = new Date(iso);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
