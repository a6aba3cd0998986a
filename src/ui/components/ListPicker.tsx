import { Box, Text } from 'ink';
import type { PickItem } from '../commands/types.js';

export interface ListPickerProps {
  title: string;
  items: PickItem[];
  selected: number;
  /** Rows of items shown at once; the window follows the selection. */
  visible?: number;
}

/** A list to choose from with ↑ ↓ and Enter (/load without an id). */
export function ListPicker({ title, items, selected, visible = 10 }: ListPickerProps) {
  const first = Math.min(Math.max(0, selected - Math.floor(visible / 2)), Math.max(0, items.length - visible));
  const shown = items.slice(first, first + visible);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>{title}</Text>
      {first > 0 ? (
        <Text dimColor>
          {'  ↑ '}
          {first} more
        </Text>
      ) : null}
      {shown.map((item, index) => {
        const active = first + index === selected;
        return (
          // One row each, cut at the edge: wrapped rows would make the picker taller than it counts.
          <Text key={item.value} inverse={active} wrap="truncate-end">
            {active ? '› ' : '  '}
            {item.label}
          </Text>
        );
      })}
      {first + visible < items.length ? (
        <Text dimColor>
          {'  ↓ '}
          {items.length - first - visible} more
        </Text>
      ) : null}
    </Box>
  );
}
