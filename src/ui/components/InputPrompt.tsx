import { Box, Text } from 'ink';
import { promptWindow } from '../input/prompt-window.js';
import type { Theme } from '../theme.js';

export interface InputPromptProps {
  text: string;
  cursor: number;
  /** A reply is streaming: typing goes on, Enter waits. */
  busy: boolean;
  /** The whole text is selected (a failed prompt given back): typing replaces it. */
  selected?: boolean;
  /** A line under the prompt saying why Enter did nothing. */
  hint?: string | undefined;
  theme: Theme;
  placeholder?: string;
  /** The terminal's width, for counting the rows long lines take. */
  width?: number;
  /** Rows the prompt may take; a taller one shows the part around the cursor. */
  maxRows?: number;
}

/**
 * The prompt: `› ` then the text, over several lines when it has line breaks, with a block
 * cursor. A prompt taller than `maxRows` (a pasted file) shows the rows around the cursor and
 * says how much is above and below.
 */
export function InputPrompt({
  text,
  cursor,
  busy,
  selected = false,
  hint,
  theme,
  placeholder = 'Ask anything · /help for commands',
  width = 80,
  maxRows = Infinity,
}: InputPromptProps) {
  const lines = text.split('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const cursorLine = Math.max(
    0,
    starts.findLastIndex((start) => start <= cursor),
  );
  const view = promptWindow(lines, cursorLine, cursor - starts[cursorLine]!, Math.max(1, width - 2), maxRows);
  const hiddenBelow = lines.length - view.end;
  const plural = (count: number) => `${count} more line${count === 1 ? '' : 's'}`;
  return (
    <Box flexDirection="column" marginTop={1}>
      {view.first > 0 ? <Text dimColor>{`  ↑ ${plural(view.first)}`}</Text> : null}
      {view.slice && view.slice.start > 0 ? <Text dimColor>{'  ↑ more of this line'}</Text> : null}
      {lines.slice(view.first, view.end).map((fullLine, shown) => {
        const index = view.first + shown;
        const from = view.slice?.start ?? 0;
        const line = view.slice ? fullLine.slice(view.slice.start, view.slice.end) : fullLine;
        const start = starts[index]! + from;
        const cursorHere = cursor >= start && cursor <= start + line.length;
        const prefix = index === 0 ? '› ' : '  ';
        return (
          <Box key={index}>
            <Box flexShrink={0}>
              <Text {...(busy ? {} : theme.user)} dimColor={busy} bold>
                {prefix}
              </Text>
            </Box>
            {selected ? (
              <Text inverse>{line}</Text>
            ) : cursorHere ? (
              <LineWithCursor line={line} column={cursor - start} placeholder={text === '' ? placeholder : undefined} />
            ) : (
              <Text>{line}</Text>
            )}
          </Box>
        );
      })}
      {view.slice && view.slice.end < lines[view.first]!.length ? <Text dimColor>{'  ↓ more of this line'}</Text> : null}
      {hiddenBelow > 0 ? <Text dimColor>{`  ↓ ${plural(hiddenBelow)}`}</Text> : null}
      {hint ? <Text dimColor>{`  ${hint}`}</Text> : null}
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
