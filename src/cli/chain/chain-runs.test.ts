import { describe, expect, it } from 'vitest';
import { runningRecord, type RunRecord } from '../../orchestrator/run-record.js';
import { runLines, runRow } from './chain-runs.js';

const started = new Date('2025-01-02T03:04:05Z');
const running = runningRecord({ id: 'chain_20250102_030405', startedAt: started, input: 'in', vars: {} }, 'chain', undefined);

describe('llmo chain runs', () => {
  it('shows no cost and no progress for a run that has not made a call, instead of "unpriced" and "0/0 steps"', () => {
    expect(runRow(running)).toEqual(['chain_20250102_030405', '', 'running', '–', '–', '2025-01-02 03:04:05']);
    expect(runLines(running, false)[1]).toBe('running · started 2025-01-02T03:04:05.000Z · 0.0 s · no usage reported · –');
  });

  it('says "unpriced" only when calls reported usage that has no price', () => {
    const unpriced: RunRecord = { ...running, status: 'ok', usage: { input_tokens: 3, output_tokens: 4 }, cost_usd: null };
    expect(runRow(unpriced)[4]).toBe('unpriced');
    expect(runRow({ ...unpriced, cost_usd: 0.0012 })[4]).toBe('$0.0012');
  });
});
