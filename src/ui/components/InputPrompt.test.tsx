import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { themeFor } from '../theme.js';
import { InputPrompt } from './InputPrompt.js';

const theme = themeFor(false);

describe('<InputPrompt>', () => {
  it('shows a placeholder when empty', () => {
    const { lastFrame } = render(<InputPrompt text="" cursor={0} busy={false} theme={theme} />);
    expect(lastFrame()).toBe('\n›  Ask anything · /help for commands');
  });

  it('shows the text after the prompt mark, one row per line of a multi-line prompt', () => {
    const { lastFrame } = render(<InputPrompt text={'first line\nsecond line'} cursor={5} busy={false} theme={theme} />);
    expect(lastFrame()).toBe('\n› first line\n  second line');
  });

  it('shows only the rows around the cursor of a prompt taller than its room, and says what is hidden', () => {
    const text = Array.from({ length: 30 }, (_, index) => `pasted ${index}`).join('\n');
    const atEnd = render(<InputPrompt text={text} cursor={text.length} busy={false} theme={theme} width={60} maxRows={6} />).lastFrame()!;
    expect(atEnd).toBe('\n  ↑ 26 more lines\n  pasted 26\n  pasted 27\n  pasted 28\n  pasted 29');
    const atStart = render(<InputPrompt text={text} cursor={0} busy={false} theme={theme} width={60} maxRows={6} />).lastFrame()!;
    expect(atStart).toBe('\n› pasted 0\n  pasted 1\n  pasted 2\n  pasted 3\n  ↓ 26 more lines');
  });

  it('leaves room for the cursor at the end of the text', () => {
    const { lastFrame } = render(<InputPrompt text="abc" cursor={3} busy={true} theme={theme} />);
    expect(lastFrame()).toBe('\n› abc');
  });
});
