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

  it('leaves room for the cursor at the end of the text', () => {
    const { lastFrame } = render(<InputPrompt text="abc" cursor={3} busy={true} theme={theme} />);
    expect(lastFrame()).toBe('\n› abc');
  });
});
