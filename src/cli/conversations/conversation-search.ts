/** `llmo conversations search` and `llmo conversations tree`: finding a conversation, and its branches. */
import { conversationTree, renderTree } from '../../conversations/conversation-tree.js';
import { createConversationStore, type ConversationSummary } from '../../conversations/index.js';
import { type SearchHit, searchConversations } from '../../conversations/search-conversations.js';
import { UsageError } from '../../errors.js';
import { resolveModelRef } from '../../providers/registry.js';
import { parseSince } from '../../usage/parse-since.js';
import { getConfig } from '../context.js';
import { localTime } from './conversations.js';
import { paint, useColor, warn } from '../output.js';
import { parseNumberFlag } from '../parse-number.js';

export interface SearchFlags {
  model?: string;
  since?: string;
  limit?: string;
  json?: boolean;
}

export async function searchCommand(words: string[], flags: SearchFlags): Promise<void> {
  const query = words.join(' ').trim();
  if (query === '') throw new UsageError('no search text given', { hint: 'llmo conversations search "context window"' });
  const config = getConfig();
  const since = flags.since === undefined ? undefined : parseSince(flags.since);
  const model = flags.model === undefined ? undefined : modelFlag(config.catalog, flags.model);
  const limit = parseNumberFlag('--limit', flags.limit, { min: 1, integer: true }) ?? 50;
  const store = createConversationStore(config.paths.conversationsDir);
  const { conversations, problems } = await store.list();
  for (const problem of problems) warn(`skipped ${problem.file}: ${problem.reason}`);
  const hits = searchConversations(store.directory, conversations, query, { model, since, limit });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(hits, null, 2)}\n`);
    return;
  }
  if (hits.length === 0) {
    process.stderr.write(`no conversation mentions "${query}"\n`);
    return;
  }
  const color = useColor(process.stdout);
  process.stdout.write(`${hits.map((hit) => hitLines(hit, color)).join('\n\n')}\n`);
  if (hits.length === limit) process.stderr.write(`showing the newest ${limit}; --limit N shows more\n`);
}

function hitLines(hit: SearchHit, color: boolean): string {
  const head = `${paint(hit.id, 'bold', color)}  ${hit.title || '(untitled)'}  · ${localTime(hit.updated_at)} · ${hit.model}`;
  const lines = hit.matches.map((match) => {
    const found = paint(paint(match.excerpt.slice(match.start, match.end), 'bold', color), 'yellow', color);
    return `  ${paint(`${match.who}:`, 'dim', color)} ${match.excerpt.slice(0, match.start)}${found}${match.excerpt.slice(match.end)}`;
  });
  const more = hit.total - hit.matches.length;
  if (more > 0) lines.push(`  ${paint(`… ${more} more match${more === 1 ? '' : 'es'} (llmo conversations show ${hit.id})`, 'dim', color)}`);
  return [head, ...lines].join('\n');
}

/** An alias or a provider name becomes the `provider:model` replies record. */
function modelFlag(catalog: ReturnType<typeof getConfig>['catalog'], ref: string): string {
  const resolved = resolveModelRef(catalog, ref);
  return `${resolved.provider.name}:${resolved.modelId}`;
}

export async function treeCommand(id: string): Promise<void> {
  const store = createConversationStore(getConfig().paths.conversationsDir);
  const { conversations } = await store.list();
  const wanted = id === 'latest' ? conversations[0]?.id : await store.resolveId(id);
  if (wanted === undefined) throw new UsageError('no saved conversations yet', { hint: 'llmo chat and llmo ask save theirs' });
  const tree = conversationTree(conversations, wanted);
  if (!tree) throw new UsageError(`no conversation "${id}"`, { hint: 'llmo conversations list shows their ids' });
  const color = useColor(process.stdout);
  const label = (summary: ConversationSummary) => {
    const turns = `${summary.messages} message${summary.messages === 1 ? '' : 's'}`;
    const from = summary.parent ? ` · from turn ${summary.parent.turn}` : '';
    return `${paint(summary.id, 'bold', color)}  ${summary.title || '(untitled)'}  · ${turns}${from}`;
  };
  process.stdout.write(`${renderTree(tree, wanted, label).join('\n')}\n`);
}
