import { Box } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { ListPicker } from './ListPicker.js';

const items = Array.from({ length: 30 }, (_, index) => ({ label: `chat_${index}`, value: `chat_${index}` }));

describe('<ListPicker>', () => {
  it('marks the selection and scrolls a window around it', () => {
    const { lastFrame } = render(<ListPicker title="Load a conversation" items={items} selected={15} visible={5} />);
    expect(lastFrame()).toBe('\nLoad a conversation\n  ↑ 13 more\n  chat_13\n  chat_14\n› chat_15\n  chat_16\n  chat_17\n  ↓ 12 more');
  });

  it('keeps each item to one row on a narrow terminal', () => {
    const long = [{ label: 'chat_20250101_120000  A title long enough to wrap  · 14 messages · anthropic:claude-sonnet-4-5', value: 'a' }];
    const { lastFrame } = render(
      <Box width={50}>
        <ListPicker title="Load" items={long} selected={0} />
      </Box>,
    );
    expect(lastFrame()).toBe('\nLoad\n› chat_20250101_120000  A title long enough to wr…');
  });
});
