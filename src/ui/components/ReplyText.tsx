import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import type { MarkdownRenderer } from '../markdown/load-markdown.js';
import { layoutReply } from '../markdown/wrap-blocks.js';

export interface ReplyTextProps {
  text: string;
  /** Undefined or raw: the text as the model sent it. */
  render: MarkdownRenderer | undefined;
  raw: boolean;
  width: number;
}

/**
 * A reply's text, rendered as terminal markdown unless raw, and laid out in blocks (wrap-blocks.ts)
 * so a long reply is never wrapped by Ink in one piece. Memoised per width: a resize lays it out
 * again, nothing else does.
 */
export const ReplyText = memo(function ReplyText({ text, render, raw, width }: ReplyTextProps) {
  const blocks = useMemo(() => layoutReply(text, raw ? undefined : render, width), [text, render, raw, width]);
  if (blocks.length === 1) return <Text>{blocks[0]}</Text>;
  return (
    <Box flexDirection="column">
      {blocks.map((block, index) => (
        // Blocks never move: the index is their identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <Text key={index}>{block || ' '}</Text>
      ))}
    </Box>
  );
});
