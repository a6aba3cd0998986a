import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { PendingMessage } from './PendingMessage.js';

const upper = (text: string) => text.toUpperCase();

describe('<PendingMessage>', () => {
  it('shows the model label and the text so far, rendered', () => {
    const { lastFrame } = render(
      <PendingMessage text="partial answer" label="openai:gpt-5-mini" render={upper} raw={false} width={100} maxRows={20} />,
    );
    expect(lastFrame()).toBe('\n◆ openai:gpt-5-mini\n  PARTIAL ANSWER');
  });

  it('keeps only the end of a reply taller than the room it has, and says the rest comes later', () => {
    const lines = Array.from({ length: 50 }, (_, index) => `line ${index + 1}`).join('\n');
    const { lastFrame } = render(<PendingMessage text={lines} label={undefined} render={undefined} raw={true} width={100} maxRows={10} />);
    const frame = lastFrame()!;
    expect(frame).toContain('↑ earlier lines appear in full when the reply completes');
    expect(frame).toContain('line 50');
    expect(frame).not.toContain('line 1\n');
    expect(frame.split('\n').length).toBeLessThanOrEqual(10 + 1);
  });

  it('keeps a single long paragraph bounded too', () => {
    const words = 'word '.repeat(5000);
    const { lastFrame } = render(<PendingMessage text={words} label={undefined} render={undefined} raw={true} width={100} maxRows={8} />);
    expect(lastFrame()!.split('\n').length).toBeLessThanOrEqual(9);
  });

  it('draws nothing before the first token of a continuation', () => {
    const { lastFrame } = render(<PendingMessage text="" label={undefined} render={undefined} raw={false} width={100} maxRows={8} />);
    expect(lastFrame()).toBe('');
  });
});
