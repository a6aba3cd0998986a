import { describe, expect, it } from 'vitest';
import type { CallResult } from '../../orchestrator/call-model.js';
import { emptyResult, type ResolvedModel } from '../../orchestrator/call-model.js';
import { catalog, resolveRef } from '../../orchestrator/chain-test-catalog.test-support.js';
import { parseInlineChain } from '../../orchestrator/inline-chain.js';
import type { ChainEvent } from '../../orchestrator/run-chain.js';
import { validateChain } from '../../orchestrator/validate-chain.js';
import { createChainProgress, renderLines, type ProgressLine } from './chain-progress.js';
import { stripAnsi, truncateAnsi } from './chain-status-board.js';
import { displayWidth } from '../../orchestrator/display-width.js';

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
    const failed = {
      status: 'error',
      error: Object.assign(new Error('openai: 500 server error'), { provider: 'openai' }),
    } as unknown as CallResult;
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

  it('cuts by terminal columns, so a line of wide characters never wraps', () => {
    const cut = stripAnsi(truncateAnsi('✗ failed: 服务器繁忙，请稍后再试', 16));
    expect(cut).toBe('✗ failed: 服务…');
    expect(displayWidth(cut)).toBeLessThanOrEqual(16);
    expect(truncateAnsi('日本語', 6)).toBe('日本語');
  });
});

describe('the last step streaming to stdout on a terminal', () => {
  const plan = validateChain(parseInlineChain('(a1) -> (b1, fallback=g1)'), { catalog, resolveRef });
  const [first, answer] = plan.steps as [(typeof plan.steps)[0], (typeof plan.steps)[0]];
  const model = (provider: string, modelId: string) => ({ ref: modelId, provider, modelId, info: undefined }) as unknown as ResolvedModel;
  const ok = (provider: string, text: string) => ({
    ...emptyResult(model(provider, 'one'), 'ok', undefined),
    text,
    usage: { inputTokens: 1, outputTokens: 2 },
  });

  function terminal() {
    const log: Array<['stdout' | 'stderr', string]> = [];
    const stderr = {
      columns: 100,
      rows: 30,
      isTTY: true,
      write: (text: string) => log.push(['stderr', text]),
    } as unknown as NodeJS.WriteStream;
    const stdout = { write: (text: string) => log.push(['stdout', text]) };
    return {
      log,
      stderr,
      stdout,
      text: () =>
        log
          .map(([, text]) => text)
          .join('')
          .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ''),
    };
  }

  it("writes each piece as it arrives, below the frozen lines, then the step's line", () => {
    const screen = terminal();
    const progress = createChainProgress(plan, { quiet: false, live: true, output: screen.stdout, stream: screen.stderr });
    const events: ChainEvent[] = [
      { type: 'step-start', step: first },
      { type: 'attempt-start', step: first, branch: 0, model: model('alpha', 'one'), attempt: 0 },
      { type: 'text', step: first, branch: 0, delta: 'draft' },
      { type: 'attempt-end', step: first, branch: 0, result: ok('alpha', 'draft'), willFallback: false },
      { type: 'step-start', step: answer },
      { type: 'attempt-start', step: answer, branch: 0, model: model('beta', 'one'), attempt: 0 },
    ];
    for (const event of events) progress.onEvent(event);
    // Until the first words the lines stay live (a first token can take long).
    expect(screen.text()).not.toContain('answering below');
    progress.onEvent({ type: 'text', step: answer, branch: 0, delta: 'Hello ' });
    // The first piece is on stdout before the answer is complete.
    expect(screen.log.filter(([stream]) => stream === 'stdout')).toEqual([['stdout', 'Hello ']]);
    progress.note('a warning mid-line');
    progress.onEvent({ type: 'text', step: answer, branch: 0, delta: 'world' });
    progress.onEvent({ type: 'attempt-end', step: answer, branch: 0, result: ok('beta', 'Hello world'), willFallback: false });
    progress.stop();
    const text = screen.text();
    const frozen = text.search(/↓ step2 +beta:one +answering below\n/);
    expect(frozen).toBeGreaterThan(text.lastIndexOf('✓ step1'));
    // The answer and its newline, then the held note, then the step's final line; nothing redrawn after.
    expect(text.slice(frozen).split('\n').slice(1)).toEqual([
      'Hello world',
      'llmo: warning: a warning mid-line',
      expect.stringMatching(/^✓ step2 +beta:one +done · 2 tokens/),
      '',
    ]);
    expect(progress.printedOutput()).toBe(true);
  });

  it("ends a failed attempt's line and streams the fallback after the note", () => {
    const screen = terminal();
    const progress = createChainProgress(plan, { quiet: false, live: true, output: screen.stdout, stream: screen.stderr });
    const failed = {
      ...emptyResult(model('beta', 'one'), 'error', undefined),
      error: Object.assign(new Error('beta: 500 broke'), { provider: 'beta' }),
    } as never;
    for (const event of [
      { type: 'attempt-start', step: answer, branch: 0, model: model('beta', 'one'), attempt: 0 },
      { type: 'text', step: answer, branch: 0, delta: 'half' },
      { type: 'attempt-end', step: answer, branch: 0, result: failed, willFallback: true },
      { type: 'attempt-start', step: answer, branch: 0, model: model('gamma', 'one'), attempt: 1 },
      { type: 'text', step: answer, branch: 0, delta: 'whole' },
      { type: 'attempt-end', step: answer, branch: 0, result: ok('gamma', 'whole'), willFallback: false },
    ] as ChainEvent[])
      progress.onEvent(event);
    progress.stop();
    const lines = screen.text().split('\n');
    const start = lines.indexOf('half');
    expect(lines.slice(start, start + 4)).toEqual([
      'half',
      'llmo: warning: step2: beta:one failed: 500 broke; trying the next fallback model',
      expect.stringMatching(/^↓ step2 +gamma:one +answering below · fallback 1$/),
      'whole',
    ]);
    expect(progress.printedOutput()).toBe(true);
  });

  it('streams with --quiet too, and leaves a parallel last step to be printed whole', () => {
    const screen = terminal();
    const quiet = createChainProgress(plan, { quiet: true, live: true, output: screen.stdout, stream: screen.stderr });
    quiet.onEvent({ type: 'text', step: answer, branch: 0, delta: 'answer' });
    quiet.onEvent({ type: 'attempt-end', step: answer, branch: 0, result: ok('beta', 'answer'), willFallback: false });
    expect(screen.log).toEqual([
      ['stdout', 'answer'],
      ['stdout', '\n'],
    ]);
    expect(quiet.printedOutput()).toBe(true);

    const parallelPlan = validateChain(parseInlineChain('(a1) -> [(b1) | (g1)]'), { catalog, resolveRef });
    const other = terminal();
    const progress = createChainProgress(parallelPlan, { quiet: true, live: false, output: other.stdout, stream: other.stderr });
    progress.onEvent({ type: 'text', step: parallelPlan.steps[1]!, branch: 0, delta: 'one branch' });
    expect(other.log).toEqual([]);
    expect(progress.printedOutput()).toBe(false);
  });
});
