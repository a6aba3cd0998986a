import { Text } from 'ink';
import { memo, useMemo } from 'react';
import type { MarkdownRenderer } from '../markdown/load-markdown.js';

export interface ReplyTextProps {
  text: string;
  /** Undefined or raw: the text as the model sent it. */
  render: MarkdownRenderer | undefined;
  raw: boolean;
  width: number;
}

/** A reply's text, rendered as terminal markdown unless raw. Memoised: rendering is the costly part. */
export const ReplyText = memo(function ReplyText({ text, render, raw, width }: ReplyTextProps) {
  const shown = useMemo(() => (raw || !render ? text : render(text, width)), [text, render, raw, width]);
  return <Text>{shown}</Text>;
});
