import { describe, expect, it } from 'vitest';
import { displayWidth, fit, fitsSideBySide, joinColumns, lastLines, sanitize, summaryTable, wrap } from './parallel-layout.js';
import { finalView, liveFrame, summaryRows, type ModelPane } from './parallel-live-view.js';

const pane = (label: string, text: string, status: ModelPane['status'] = 'done'): ModelPane => ({
  label,
  text,
  status,
  startedAt: undefined,
  ttftMs: undefined,
  result: undefined,
});

describe('parallel layout', () => {
  it('puts answers side by side only when each column gets 38 columns', () => {
    expect(fitsSideBySide(2, 79)).toBe(true);
    expect(fitsSideBySide(2, 78)).toBe(false);
    expect(fitsSideBySide(5, 120)).toBe(false);
    expect(fitsSideBySide(5, 202)).toBe(true);
    expect(fitsSideBySide(1, 200)).toBe(false);
  });

  it('wraps at spaces, hard-breaks long words, and counts wide characters as two', () => {
    expect(wrap('the quick brown fox jumps', 10)).toEqual(['the quick', 'brown fox', 'jumps']);
    expect(wrap('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrap('日本語のテキスト', 6)).toEqual(['日本語', 'のテキ', 'スト']);
    expect(displayWidth('日本')).toBe(4);
    expect(fit('日本語', 5)).toBe('日本…');
  });

  it('gives a column narrower than a wide character one character a line instead of looping forever', () => {
    expect(wrap('日本', 1)).toEqual(['日', '本']);
  });

  it('wraps a long answer of one paragraph into lines that fit, losing no word', () => {
    const words = Array.from({ length: 5000 }, (_, index) => `w${index}`);
    const lines = wrap(words.join(' '), 37);
    expect(lines.every((line) => displayWidth(line) <= 37)).toBe(true);
    expect(lines.join(' ').split(' ')).toEqual(words);
  });

  it("shows the last lines of an answer exactly as the end of the whole answer's wrapping", () => {
    const answer = 'A first paragraph, long enough to wrap twice here.\n\n日本語のテキスト and more words\nlast line';
    for (const count of [1, 2, 4, 9, 20]) expect(lastLines(answer, 12, count)).toEqual(wrap(answer, 12).slice(-count));
    expect(lastLines('ends with a newline\n', 8, 2)).toEqual(['newline', '']);
    expect(lastLines('', 8, 3)).toEqual([]);
    expect(lastLines('\u0007', 8, 3)).toEqual([]);
  });

  it('strips escape sequences and control characters from model text', () => {
    expect(sanitize('a\u001b[31mred\u001b[0m\r\nb\u0007\tc')).toBe('ared\nb    c');
  });

  it('lays out columns of equal width, as tall as the tallest', () => {
    expect(joinColumns([['a', 'b'], ['c']], 3)).toEqual(['a   │ c', 'b   │']);
  });

  it('shows the live tail of each answer side by side, within the frame height', () => {
    const panes = [pane('openai:gpt', 'one two three four five six seven eight nine ten', 'streaming'), pane('anthropic:claude', 'short')];
    const frame = liveFrame(panes, { columns: 80, rows: 6 }, 0, false);
    expect(frame).toHaveLength(4); // header, rule, two lines of text
    expect(frame[0]).toMatch(/^⠋ openai:gpt +│ ✓ anthropic:claude/);
    expect(frame.every((line) => displayWidth(line) <= 80)).toBe(true);
    expect(frame.slice(2).join('\n')).toContain('nine ten');
  });

  it('stacks the answers on a narrow terminal, with labels', () => {
    const panes = [pane('openai:gpt', 'first answer'), pane('mistral:small', 'second answer')];
    expect(finalView(panes, 60, false)).toEqual(['=== openai:gpt ===', 'first answer', '', '=== mistral:small ===', 'second answer']);
  });

  it('summarises each model in a table', () => {
    const table = summaryTable([
      { model: 'openai:gpt', ttftMs: 120, durationMs: 1500, inputTokens: 10, outputTokens: 20, cost: '$0.0001', status: 'ok' },
      {
        model: 'mistral:small',
        ttftMs: undefined,
        durationMs: 300,
        inputTokens: undefined,
        outputTokens: undefined,
        cost: 'unpriced',
        status: 'failed',
      },
    ]);
    expect(table[0]).toMatch(/^model +first token +total +tokens in → out +cost +status$/);
    expect(table[2]).toMatch(/^openai:gpt +0\.12 s +1\.50 s +10 → 20 +\$0\.0001 +ok$/);
    expect(table[3]).toMatch(/^mistral:small +– +0\.30 s +– +unpriced +failed$/);
  });

  it('narrows the model column to fit the terminal', () => {
    const row = {
      model: 'anthropic:claude-sonnet-4-5-20250929',
      ttftMs: 1,
      durationMs: 2,
      inputTokens: 3,
      outputTokens: 4,
      cost: '$0.0001',
      status: 'ok',
    };
    const table = summaryTable([row, { ...row, model: 'openai:claude-sonnet-4-5-20250929' }], 70);
    expect(table.every((line) => displayWidth(line) <= 70)).toBe(true);
    expect(table[0]).toMatch(/^model +ttft +total +in → out +cost +status$/);
    expect(table[2]).toMatch(/^anthropic:claude-sonnet-4-… +0\.00 s/);
  });

  it('fits a 60-column terminal: short headings, model names without their provider', () => {
    const rows = [
      { model: 'openai:gpt-6-sol', ttftMs: 300, durationMs: 3000, inputTokens: 5, outputTokens: 1115, cost: '$0.0112', status: 'ok' },
      {
        model: 'gemini:gemini-2.5-flash',
        ttftMs: 1690,
        durationMs: 2590,
        inputTokens: 5,
        outputTokens: 47,
        cost: '$0.000119',
        status: 'ok',
      },
      {
        model: 'mistral:mistral-medium-latest',
        ttftMs: undefined,
        durationMs: 330,
        inputTokens: undefined,
        outputTokens: undefined,
        cost: '–',
        status: 'failed',
      },
    ];
    const table = summaryTable(rows, 59);
    expect(table.every((line) => displayWidth(line) <= 59)).toBe(true);
    expect(table[2]).toMatch(/^gpt-6-sol +0\.30 s +3\.00 s +5 → 1115 +\$0\.0112 +ok$/);
    expect(table[3]).toMatch(/^gemini-2\.5-fl… +1\.69 s/);
    expect(table[4]).toMatch(/^mistral-mediu… +– +0\.33 s +– +– +failed$/);
  });

  it('shows no cost for a call that reported no usage, rather than "unpriced"', () => {
    const call = {
      ref: 'mistral',
      provider: 'mistral',
      modelId: 'mistral-medium-latest',
      responseModel: undefined,
      text: '',
      reasoning: '',
      finishReason: undefined,
      toolCalls: [],
      usage: undefined,
      costUsd: undefined,
      durationMs: 150,
      ttftMs: undefined,
      requestId: undefined,
      status: 'error' as const,
      error: undefined,
      startedAt: 0,
    };
    const [failed, answered] = summaryRows([
      { ref: 'mistral', label: 'mistral:mistral-medium-latest', status: 'error', text: undefined, call, error: undefined },
      {
        ref: 'mistral',
        label: 'mistral:mistral-medium-latest',
        status: 'ok',
        text: 'hi',
        call: { ...call, status: 'ok', usage: { inputTokens: 10, outputTokens: 20 }, costUsd: 0.00004 },
        error: undefined,
      },
    ]);
    expect([failed!.cost, failed!.status]).toEqual(['–', 'failed']);
    expect(answered!.cost).toBe('$0.00004');
  });
});
