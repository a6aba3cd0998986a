import { Box, Text } from 'ink';
import type { Theme } from '../theme.js';

export interface InputPromptProps {
  text: string;
  cursor: number;
  /** A reply is streaming: typing goes on, Enter waits. */
  busy: boolean;
  theme: Theme;
  placeholder?: string;
}

/** The prompt: `› ` then the text, over several lines when it has line breaks, with a block cursor. */
export function InputPrompt({ text, cursor, busy, theme, placeholder = 'Ask anything · /help for commands' }: InputPromptProps) {
  const lines = text.split('\n');
  let offset = 0;
  return (
    <Box flexDirection="column" marginTop={1}>
      {lines.map((line, index) => {
        const start = offset;
        offset += line.length + 1;
        const cursorHere = cursor >= start && cursor <= start + line.length;
        const prefix = index === 0 ? '› ' : '  ';
        return (
          <Box key={index}>
            <Box flexShrink={0}>
              <Text color={busy ? undefined : theme.user} dimColor={busy} bold>
                {prefix}
              </Text>
            </Box>
            {cursorHere ? <LineWithCursor line={line} column={cursor - start} placeholder={text === '' ? placeholder : undefined} /> : <Text>{line}</Text>}
          </Box>
        );
      })}
    </Box>
  );
}

function LineWithCursor({ line, column, placeholder }: { line: string; column: number; placeholder: string | undefined }) {
  if (placeholder !== undefined) {
    return (
      <Text>
        <Text inverse> </Text>
        <Text dimColor>{placeholder}</Text>
      </Text>
    );
  }
  const at = line.codePointAt(column);
  const width = at !== undefined && at > 0xffff ? 2 : 1;
  return (
    <Text>
      {line.slice(0, column)}
      <Text inverse>{line.slice(column, column + width) || ' '}</Text>
      {line.slice(column + width)}
    </Text>
  );
}
