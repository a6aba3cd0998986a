import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { HistoryItem } from '../history.js';
import { themeFor } from '../theme.js';
import { MessageList } from './MessageList.js';

const theme = themeFor(false);
const items: HistoryItem[] = [
  { id: 0, type: 'welcome', text: 'llmo chat', detail: 'anthropic:claude-sonnet-4-5' },
  { id: 1, type: 'user', text: 'What is **TCP**?' },
  { id: 2, type: 'reply', text: 'A *transport* protocol.', label: 'anthropic:claude-sonnet-4-5' },
  { id: 3, type: 'reply', text: 'Second part, same reply.' },
  { id: 4, type: 'notice', text: 'interrupted: the partial reply above is kept' },
  { id: 5, type: 'command', text: '/cost' },
  { id: 6, type: 'info', text: 'No replies yet: nothing spent.' },
  { id: 7, type: 'error', text: 'openai: rate limited', hint: 'wait a little and /retry' },
];
const shout = (text: string) => text.replace(/\*+([^*]+)\*+/g, (_, inner: string) => inner.toUpperCase());

describe('<MessageList>', () => {
  it('prints each kind of item: prompts, replies under their model, notices, commands, info and errors with a hint', () => {
    const { lastFrame } = render(<MessageList items={items} generation={0} render={shout} raw={false} width={100} theme={theme} />);
    const frame = lastFrame()!;
    expect(frame).toContain('llmo chat · anthropic:claude-sonnet-4-5');
    expect(frame).toContain('› What is **TCP**?'); // prompts are shown as typed
    expect(frame).toContain('◆ anthropic:claude-sonnet-4-5\n  A TRANSPORT protocol.');
    expect(frame).toContain('\n  Second part, same reply.');
    expect(frame.match(/◆/g)).toHaveLength(1); // continuation parts carry no second label
    expect(frame).toContain('⏹ interrupted: the partial reply above is kept');
    expect(frame).toContain('› /cost');
    expect(frame).toContain('  No replies yet: nothing spent.');
    expect(frame).toContain('✗ openai: rate limited\n    → wait a little and /retry');
  });

  it('shows replies as sent in raw mode', () => {
    const { lastFrame } = render(
      <MessageList items={items.slice(2, 3)} generation={0} render={shout} raw={true} width={100} theme={theme} />,
    );
    expect(lastFrame()).toContain('A *transport* protocol.');
  });

  it('prints items once: adding one appends it below the others', () => {
    const { lastFrame, rerender } = render(
      <MessageList items={items.slice(0, 2)} generation={0} render={undefined} raw={false} width={100} theme={theme} />,
    );
    rerender(<MessageList items={items.slice(0, 3)} generation={0} render={undefined} raw={false} width={100} theme={theme} />);
    const frame = lastFrame()!;
    expect(frame.indexOf('What is')).toBeLessThan(frame.indexOf('A *transport*'));
    expect(frame.match(/What is/g)).toHaveLength(1);
  });
});
