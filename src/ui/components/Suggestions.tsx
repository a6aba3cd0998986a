import { Box, Text } from 'ink';
import { displayWidth, padToWidth } from '../../orchestrator/display-width.js';

export interface Suggestion {
  label: string;
  description?: string;
}

/**
 * Command names as you type `/…`, or what Tab found when it could not choose one. One row
 * each, cut at the terminal's edge: the live area's height is counted in items.
 */
export function Suggestions({ items, limit = 8 }: { items: readonly Suggestion[]; limit?: number }) {
  if (items.length === 0) return null;
  const shown = items.slice(0, limit);
  const width = Math.max(...shown.map((item) => displayWidth(item.label)));
  return (
    <Box flexDirection="column" paddingLeft={2}>
      {shown.map((item) => (
        <Text key={item.label} wrap="truncate-end">
          <Text bold>{padToWidth(item.label, width)}</Text>
          {item.description ? <Text dimColor>{`  ${item.description}`}</Text> : null}
        </Text>
      ))}
      {items.length > limit ? <Text dimColor>… {items.length - limit} more</Text> : null}
    </Box>
  );
}
