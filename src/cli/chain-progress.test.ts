import { describe, expect, it } from 'vitest';
import type { CallResult } from '../orchestrator/call-model.js';
import { renderLines, type ProgressLine } from './chain-progress.js';
import { stripAnsi, truncateAnsi } from './chain-status-board.js';

const line = (overrides: Partial<ProgressLine>): ProgressLine => ({
  label: 'step',
  model: 'openai:gpt',
  state: 'waiting',
  startedAt: undefined,
  characters: 0,
  result: undefined,
  detail: undefined,
  ...overrides,
});

describe('chain progress lines', () => {
  it('shows waiting, streaming, done with tokens, time and cost, and failed, aligned', () => {
    const done = { status: 'ok', usage: { inputTokens: 10, outputTokens: 42 }, durationMs: 2100, costUsd: 0.0012, text: 'x' } as CallResult;
    const failed = { status: 'error', error: Object.assign(new Error('openai: 500 server error'), { provider: 'openai' }) } as unknown as CallResult;
    const lines = renderLines(
      [
        line({ label: 'analyze', state: 'done', result: done }),
        line({ label: 'opinions[1]', model: 'mistral:small', state: 'streaming', startedAt: Date.now() - 1500, characters: 400 }),
        line({ label: 'opinions[2]', state: 'failed', result: failed }),
        line({ label: 'merge', model: 'sonnet' }),
      ],
      0,
      false,
    );
    expect(lines).toEqual([
      '✓ analyze      openai:gpt     done · 42 tokens · 2.1 s · $0.0012',
      '⠋ opinions[1]  mistral:small  streaming · ~100 tokens · 1.5 s',
      '✗ opinions[2]  openai:gpt     failed: 500 server error',
      '· merge        sonnet         waiting',
    ]);
  });

  it('cuts long lines to the terminal width without breaking colour codes', () => {
    const coloured = '\u001b[32m✓\u001b[39m a very long line indeed';
    const cut = truncateAnsi(coloured, 10);
    expect(stripAnsi(cut)).toBe('✓ a very …');
    expect(cut.startsWith('\u001b[32m✓\u001b[39m')).toBe(true);
    expect(truncateAnsi('short', 10)).toBe('short');
  });
});
