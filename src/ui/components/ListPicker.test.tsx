import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { ListPicker } from './ListPicker.js';

const items = Array.from({ length: 30 }, (_, index) => ({ label: `chat_${index}`, value: `chat_${index}` }));

describe('<ListPicker>', () => {
  it('marks the selection and scrolls a window around it', () => {
    const { lastFrame } = render(<ListPicker title="Load a conversation" items={items} selected={15} visible={5} />);
    expect(lastFrame()).toBe('\nLoad a conversation\n  ↑ 13 more\n  chat_13\n  chat_14\n› chat_15\n  chat_16\n  chat_17\n  ↓ 12 more');
  });
});
