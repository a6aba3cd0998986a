/** Usage-log fixtures for the usage tests: records and whole generated logs. */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { UsageEntry } from './accounting.js';
import { monthFile, monthOf } from './usage-log.js';
import { formatRecord, toRecord, type UsageRecord } from './usage-record.js';

export function entry(overrides: Partial<UsageEntry> = {}): UsageEntry {
  return {
    time: new Date().toISOString(),
    provider: 'openai',
    model: 'gpt-4o-mini',
    usage: { inputTokens: 100, outputTokens: 50 },
    costUsd: 0.001,
    durationMs: 900,
    ttftMs: 200,
    status: 'ok',
    source: { kind: 'ask', id: 'chat_20261101_120000' },
    ...overrides,
  };
}

const MODELS = [
  { provider: 'openai', model: 'gpt-4o-mini', input: 0.15, output: 0.6 },
  { provider: 'anthropic', model: 'claude-sonnet-4-5', input: 3, output: 15 },
  { provider: 'gemini', model: 'gemini-2.5-flash', input: 0.3, output: 2.5 },
  { provider: 'ollama', model: 'llama3.2', input: undefined, output: undefined },
] as const;

/**
 * Writes `count` records spread evenly over the `days` days before `end`, into month files as
 * llmo would, and returns the totals a reader must find.
 */
export function generateLog(usageDir: string, count: number, options: { days: number; end?: Date }) {
  mkdirSync(usageDir, { recursive: true });
  const end = (options.end ?? new Date()).getTime();
  const span = options.days * 86_400_000;
  const files = new Map<string, string[]>();
  let costUsd = 0;
  let unpriced = 0;
  let inputTokens = 0;
  for (let index = 0; index < count; index++) {
    const model = MODELS[index % MODELS.length]!;
    const input = 200 + (index % 1000);
    const output = 50 + (index % 300);
    const cost = model.input === undefined ? undefined : (input * model.input + output * model.output!) / 1_000_000;
    if (cost === undefined) unpriced++;
    else costUsd += cost;
    inputTokens += input;
    const record: UsageRecord = toRecord({
      time: new Date(end - span + Math.floor((index / count) * span)).toISOString(),
      provider: model.provider,
      model: model.model,
      usage: { inputTokens: input, outputTokens: output },
      costUsd: cost,
      durationMs: 1000 + (index % 5000),
      ttftMs: 300,
      status: index % 50 === 0 ? 'error' : 'ok',
      ...(index % 50 === 0 ? { errorKind: 'RateLimitError' } : {}),
      source:
        index % 3 === 0 ? { kind: 'chain', name: 'research', step: 'analyze', id: `run_${index}` } : { kind: 'ask', id: `chat_${index}` },
    });
    const month = monthOf(record.time);
    let lines = files.get(month);
    if (!lines) {
      lines = [];
      files.set(month, lines);
    }
    lines.push(formatRecord(record));
  }
  for (const [month, lines] of files) writeFileSync(monthFile(usageDir, month), lines.join(''));
  return { costUsd, unpriced, inputTokens };
}
