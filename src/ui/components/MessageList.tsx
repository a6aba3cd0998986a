import { Static } from 'ink';
import type { HistoryItem } from '../history.js';
import type { MarkdownRenderer } from '../markdown/load-markdown.js';
import type { Theme } from '../theme.js';
import { HistoryItemView } from './HistoryItemView.js';

export interface MessageListProps {
  items: HistoryItem[];
  /** A new generation starts a new <Static> (after the screen was cleared). */
  generation: number;
  render: MarkdownRenderer | undefined;
  raw: boolean;
  width: number;
  theme: Theme;
}

/**
 * Finished messages, printed once each into the terminal's scrollback through <Static>:
 * they are never redrawn, so a long conversation costs nothing per frame.
 */
export function MessageList({ items, generation, render, raw, width, theme }: MessageListProps) {
  return (
    <Static key={generation} items={items}>
      {(item) => <HistoryItemView key={item.id} item={item} render={render} raw={raw} width={width} theme={theme} />}
    </Static>
  );
}
