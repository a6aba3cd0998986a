import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { clipToLastRows } from '../markdown/clip-lines.js';
import { displayTail } from '../markdown/display-tail.js';
import type { MarkdownRenderer } from '../markdown/load-markdown.js';

export interface PendingMessageProps {
  text: string;
  label: string | undefined;
  render: MarkdownRenderer | undefined;
  raw: boolean;
  width: number;
  /** Rows it may take; kept below the terminal's height so Ink never redraws the whole screen. */
  maxRows: number;
}

/**
 * The one part of the screen that changes while a reply streams: the text after the last
 * completed markdown block. When it is taller than `maxRows` only its end shows; all of it
 * goes to the scrollback when the reply completes.
 */
export const PendingMessage = memo(function PendingMessage({ text, label, render, raw, width, maxRows }: PendingMessageProps) {
  const innerWidth = Math.max(20, width - 2);
  const rows = Math.max(3, maxRows - (label ? 1 : 0) - 1);
  const view = useMemo(() => {
    const tail = displayTail(text, rows * innerWidth * 2);
    const rendered = raw || !render ? tail.text : render(tail.text, innerWidth);
    const clipped = clipToLastRows(rendered, innerWidth, rows);
    return { text: clipped.text, clipped: tail.cut || clipped.hiddenRows > 0 };
  }, [text, render, raw, innerWidth, rows]);
  if (text === '' && !label) return null;
  return (
    <Box flexDirection="column" marginTop={1}>
      {label ? <Text dimColor>◆ {label}</Text> : null}
      {view.clipped ? <Text dimColor>{'  ↑ earlier lines appear in full when the reply completes'}</Text> : null}
      {text !== '' ? (
        <Box paddingLeft={2}>
          <Text>{view.text}</Text>
        </Box>
      ) : null}
    </Box>
  );
});
