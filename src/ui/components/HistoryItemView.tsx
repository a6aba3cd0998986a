import { Box, Text } from 'ink';
import type { HistoryItem } from '../history.js';
import type { MarkdownRenderer } from '../markdown/load-markdown.js';
import type { Theme } from '../theme.js';
import { ReplyText } from './ReplyText.js';

export interface HistoryItemViewProps {
  item: HistoryItem;
  render: MarkdownRenderer | undefined;
  raw: boolean;
  width: number;
  theme: Theme;
}

/** One item of the scrollback. */
export function HistoryItemView({ item, render, raw, width, theme }: HistoryItemViewProps) {
  switch (item.type) {
    case 'welcome':
      return (
        <Text>
          <Text bold {...theme.accent}>
            {item.text}
          </Text>
          {item.detail ? <Text dimColor> · {item.detail}</Text> : null}
        </Text>
      );
    case 'user':
      return (
        <Box marginTop={1}>
          <Box flexShrink={0}>
            <Text {...theme.user} bold>
              {'› '}
            </Text>
          </Box>
          <Text {...theme.user}>{item.text}</Text>
        </Box>
      );
    case 'command':
      return (
        <Box marginTop={1}>
          <Text dimColor>› {item.text}</Text>
        </Box>
      );
    case 'reply':
      return (
        <Box flexDirection="column" marginTop={item.continued ? 0 : 1}>
          {item.label ? <Text dimColor>◆ {item.label}</Text> : null}
          <Box paddingLeft={2}>
            <ReplyText text={item.text} render={render} raw={raw} width={Math.max(20, width - 2)} />
          </Box>
        </Box>
      );
    case 'notice':
      return (
        <Box paddingLeft={2}>
          <Text {...theme.warning}>⏹ {item.text}</Text>
        </Box>
      );
    case 'info':
      return (
        <Box paddingLeft={2}>
          <Text dimColor>{item.text}</Text>
        </Box>
      );
    case 'tool':
      return (
        <Box flexDirection="column" paddingLeft={2}>
          <Text>
            <Text {...theme.accent}>⚙ {item.name}</Text>
            <Text dimColor> {item.arguments}</Text>
            <Text dimColor>{item.status === 'ran' ? ` · ${item.durationMs} ms` : ` · ${item.status}`}</Text>
          </Text>
          <Box paddingLeft={2}>{item.isError ? <Text {...theme.error}>✗ {item.result}</Text> : <Text dimColor>└ {item.result}</Text>}</Box>
        </Box>
      );
    case 'error':
      return (
        <Box flexDirection="column" paddingLeft={2}>
          <Text {...theme.error}>✗ {item.text}</Text>
          {item.hint ? (
            <Text dimColor>
              {'  → '}
              {item.hint}
            </Text>
          ) : null}
        </Box>
      );
  }
}
