/**
 * `llmo conversations tree ID`: the branches (/fork, /edit) around a conversation, from the
 * oldest ancestor still saved, drawn with box lines. Built from the index summaries alone.
 */
import type { ConversationSummary } from './conversation-summary.js';

export interface TreeNode {
  summary: ConversationSummary;
  children: TreeNode[];
}

/** The tree holding `id`: its oldest saved ancestor, with every branch below it (oldest first). */
export function conversationTree(summaries: readonly ConversationSummary[], id: string): TreeNode | undefined {
  const byId = new Map(summaries.map((summary) => [summary.id, summary]));
  let root = byId.get(id);
  if (!root) return undefined;
  const seen = new Set<string>([root.id]);
  while (root.parent && byId.has(root.parent.id) && !seen.has(root.parent.id)) {
    root = byId.get(root.parent.id)!;
    seen.add(root.id);
  }
  const children = new Map<string, ConversationSummary[]>();
  for (const summary of summaries) {
    if (!summary.parent) continue;
    children.set(summary.parent.id, [...(children.get(summary.parent.id) ?? []), summary]);
  }
  const visited = new Set<string>();
  const grow = (summary: ConversationSummary): TreeNode => {
    visited.add(summary.id);
    const below = (children.get(summary.id) ?? [])
      .filter((child) => !visited.has(child.id))
      .sort((left, right) => (left.created_at < right.created_at ? -1 : left.created_at > right.created_at ? 1 : 0));
    return { summary, children: below.map(grow) };
  };
  return grow(root);
}

/** One line per conversation: `├─ ` lines, the id, where it branched, turns and title; `mark` gets a ◀. */
export function renderTree(node: TreeNode, mark: string, label: (summary: ConversationSummary) => string): string[] {
  const lines: string[] = [];
  const walk = (current: TreeNode, prefix: string, connector: string) => {
    lines.push(`${prefix}${connector}${label(current.summary)}${current.summary.id === mark ? '  ◀' : ''}`);
    const childPrefix = prefix + (connector === '' ? '' : connector === '└─ ' ? '   ' : '│  ');
    current.children.forEach((child, index) => {
      walk(child, childPrefix, index === current.children.length - 1 ? '└─ ' : '├─ ');
    });
  };
  walk(node, '', '');
  return lines;
}
