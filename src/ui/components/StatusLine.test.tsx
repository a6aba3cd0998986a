import { Box } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { themeFor } from '../theme.js';
import { StatusLine, type StatusLineProps } from './StatusLine.js';

const base: StatusLineProps = {
  model: 'anthropic:claude-sonnet-4-5',
  activity: undefined,
  last: undefined,
  totals: { inputTokens: 0, outputTokens: 0, costUsd: undefined, unpricedReplies: 0 },
  raw: false,
  exitArmed: false,
  theme: themeFor(false),
};

describe('<StatusLine>', () => {
  it('shows just the model before anything was sent', () => {
    expect(render(<StatusLine {...base} />).lastFrame()).toBe('anthropic:claude-sonnet-4-5');
  });

  it('shows tokens of the last reply and the conversation, and the cost when priced', () => {
    const { lastFrame } = render(
      <StatusLine
        {...base}
        last={{ usage: { inputTokens: 1234, outputTokens: 56 }, costUsd: 0.0045 }}
        totals={{ inputTokens: 23456, outputTokens: 789, costUsd: 0.0123, unpricedReplies: 0 }}
        raw
      />,
    );
    expect(lastFrame()).toBe('anthropic:claude-sonnet-4-5 · last 1,234 in / 56 out · total 23.5k in / 789 out · $0.0123 · raw');
  });

  it('says what is attached for the next message and that the history is compressed, before the counts', () => {
    const { lastFrame } = render(
      <StatusLine
        {...base}
        attached={2}
        compressed={12}
        totals={{ inputTokens: 5, outputTokens: 6, costUsd: undefined, unpricedReplies: 0 }}
      />,
    );
    expect(lastFrame()).toBe('anthropic:claude-sonnet-4-5 · 2 attached · compressed (12 msgs summarised) · total 5 in / 6 out');
  });

  it("says how much of the last prompt the vendor's prompt cache served", () => {
    const { lastFrame } = render(
      <StatusLine {...base} last={{ usage: { inputTokens: 5000, outputTokens: 20, cachedInputTokens: 4167 }, costUsd: 0.002 }} />,
    );
    expect(lastFrame()).toContain('last 5,000 in (4,167 cached) / 20 out');
  });

  it('names the profile and the mode when there are', () => {
    expect(render(<StatusLine {...base} profile="work" mode="debug" />).lastFrame()).toBe(
      'anthropic:claude-sonnet-4-5 · profile work · mode debug',
    );
  });

  it('leaves the cost out for an unpriced model', () => {
    const { lastFrame } = render(
      <StatusLine {...base} totals={{ inputTokens: 5, outputTokens: 6, costUsd: undefined, unpricedReplies: 1 }} />,
    );
    expect(lastFrame()).toBe('anthropic:claude-sonnet-4-5 · total 5 in / 6 out');
  });

  it('spins and counts while waiting for the first token, then shows streaming time', async () => {
    const startedAt = Date.now() - 2300;
    const waiting = render(
      <StatusLine {...base} activity={{ startedAt, firstTokenAt: undefined, label: 'x', note: undefined }} tickMs={20} />,
    );
    expect(waiting.lastFrame()).toMatch(/^anthropic:claude-sonnet-4-5 [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] waiting 2\.[3-9]s · Ctrl-C stops$/);
    const first = waiting.lastFrame();
    await vi.waitFor(() => expect(waiting.lastFrame()).not.toBe(first), { timeout: 15_000 }); // it ticks on its own
    const streaming = render(<StatusLine {...base} activity={{ startedAt, firstTokenAt: startedAt + 500, label: 'x', note: undefined }} />);
    expect(streaming.lastFrame()).toMatch(/● streaming 2\.\ds · Ctrl-C stops$/);
    waiting.unmount();
    streaming.unmount();
  });

  it('shows a retry notice in place of "waiting"', () => {
    const { lastFrame, unmount } = render(
      <StatusLine
        {...base}
        activity={{ startedAt: Date.now(), firstTokenAt: undefined, label: 'x', note: 'openai: rate limited; retrying in 1.0 s' }}
      />,
    );
    expect(lastFrame()).toContain('rate limited; retrying in 1.0 s');
    unmount();
  });

  it('asks for a second Ctrl-C', () => {
    expect(render(<StatusLine {...base} exitArmed />).lastFrame()).toBe('press Ctrl-C again to quit · anthropic:claude-sonnet-4-5');
  });

  it('keeps what the keys do in sight on a narrow terminal: the counts are cut first', () => {
    const totals = { inputTokens: 123456, outputTokens: 78901, costUsd: 1.2345, unpricedReplies: 0 };
    const last = { usage: { inputTokens: 23456, outputTokens: 7890 }, costUsd: 0.5 };
    const armed = render(
      <Box width={50}>
        <StatusLine {...base} last={last} totals={totals} exitArmed />
      </Box>,
    );
    expect(armed.lastFrame()).toMatch(/^press Ctrl-C again to quit · anthropic:claude-\S*…$/);
    const streaming = render(
      <Box width={60}>
        <StatusLine
          {...base}
          last={last}
          totals={totals}
          activity={{ startedAt: Date.now(), firstTokenAt: Date.now(), label: 'x', note: undefined }}
        />
      </Box>,
    );
    expect(streaming.lastFrame()).toMatch(/^anthropic:claude-sonnet-4-5 ● streaming \d\.\ds · Ctrl-C stops/);
    streaming.unmount();
  });
});
