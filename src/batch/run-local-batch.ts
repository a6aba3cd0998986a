/**
 * The local batch runner: sends input lines with at most `concurrency` in flight, paced by the
 * rate limiter, journals every result the moment it arrives and writes the output in input
 * order. Lines the journal already holds a success for are not sent again, only copied out.
 * Memory stays flat: lines are pulled from the input as slots free up, and no line runs more than
 * a window ahead of the oldest line still unwritten, so the reorder buffer never grows past it.
 */
import type { BatchLine, LineId } from './batch-line.js';
import type { ResultsLog } from './batch-journal.js';
import type { RateLimiter } from './rate-limiter.js';

/** One line of the output JSONL (and, with its index, of the journal). */
export interface OutputLine {
  id: LineId;
  /** The reply; absent with --schema, where `data` holds it. */
  text?: string | null;
  /** With --schema: the reply's JSON value, validated (null when it failed). */
  data?: unknown;
  usage: { input_tokens: number; output_tokens: number } | null;
  cost_usd: number | null;
  model: string | null;
  error: string | null;
}

export type BatchItem =
  | { kind: 'line'; line: BatchLine }
  /** A malformed line let through by --skip-invalid: it gets an error line in the output. */
  | { kind: 'invalid'; index: number; lineNumber: number; id: LineId; problem: string };

export type SendOutcome = { status: 'done'; output: OutputLine } | { status: 'aborted' };

export interface BatchProgress {
  total: number;
  ok: number;
  failed: number;
  /** Lines sent by this run (not copied from the journal). */
  sent: number;
  /** What this run's lines cost, plus what the journal's lines had cost. */
  costUsd: number;
  startedAt: number;
}

export interface LocalBatchOptions {
  items: AsyncIterable<BatchItem>;
  total: number;
  results: ResultsLog;
  send: (line: BatchLine, signal: AbortSignal) => Promise<SendOutcome>;
  /** Writes output text; resolves when the destination can take more (backpressure). */
  write: (text: string) => Promise<void> | void;
  concurrency: number;
  limiter: RateLimiter;
  /** What a line counts against a tokens-per-minute limit. */
  tokensFor: (line: BatchLine) => number;
  signal: AbortSignal;
  onProgress?: ((progress: BatchProgress) => void) | undefined;
}

export interface LocalBatchOutcome extends BatchProgress {
  interrupted: boolean;
}

export async function runLocalBatch(options: LocalBatchOptions): Promise<LocalBatchOutcome> {
  const { results, concurrency, limiter, signal } = options;
  const window = Math.max(1024, concurrency * 8);
  const progress: BatchProgress = { total: options.total, ok: 0, failed: 0, sent: 0, costUsd: 0, startedAt: Date.now() };
  const ready = new Map<number, string>();
  let nextToWrite = 0;
  let running = 0;
  let interrupted = false;
  let writing: Promise<void> = Promise.resolve();
  let wake: (() => void) | undefined;
  const notify = () => {
    const current = wake;
    wake = undefined;
    current?.();
  };
  const changed = () => new Promise<void>((resolve) => (wake = resolve));

  const finish = (index: number, text: string, output: Pick<OutputLine, 'error' | 'cost_usd'>) => {
    if (output.error === null) progress.ok += 1;
    else progress.failed += 1;
    progress.costUsd += output.cost_usd ?? 0;
    ready.set(index, text);
    while (ready.has(nextToWrite)) {
      const line = ready.get(nextToWrite)!;
      ready.delete(nextToWrite);
      nextToWrite += 1;
      writing = writing.then(() => options.write(line));
    }
    options.onProgress?.(progress);
    notify();
  };

  const stop = () => notify();
  signal.addEventListener('abort', stop);
  try {
    for await (const item of options.items) {
      const index = item.kind === 'line' ? item.line.index : item.index;
      while (!signal.aborted && (running >= concurrency || index - nextToWrite >= window)) await changed();
      if (signal.aborted) break;
      await writing;
      if (item.kind === 'invalid') {
        const output = failedOutput(item.id, `line ${item.lineNumber}: ${item.problem}`);
        finish(index, `${JSON.stringify(output)}\n`, output);
        continue;
      }
      const kept = results.has(index) ? results.read(index) : undefined;
      if (kept !== undefined) {
        const { cost_usd } = JSON.parse(kept) as OutputLine;
        finish(index, kept, { error: null, cost_usd });
        continue;
      }
      try {
        await limiter.acquire(options.tokensFor(item.line), signal);
      } catch {
        break;
      }
      running += 1;
      progress.sent += 1;
      void options.send(item.line, signal).then(
        (outcome) => {
          running -= 1;
          if (outcome.status === 'aborted') {
            interrupted = true;
            return notify();
          }
          if (outcome.output.error === null) limiter.succeeded();
          results.append(index, { ...outcome.output });
          finish(index, `${JSON.stringify(outcome.output)}\n`, outcome.output);
        },
        (error: unknown) => {
          running -= 1;
          const output = failedOutput(item.line.id, (error as Error).message ?? String(error));
          results.append(index, { ...output });
          finish(index, `${JSON.stringify(output)}\n`, output);
        },
      );
    }
    while (running > 0) await changed();
    await writing;
  } finally {
    signal.removeEventListener('abort', stop);
  }
  return { ...progress, interrupted: interrupted || signal.aborted };
}

export function failedOutput(id: LineId, error: string, model: string | null = null): OutputLine {
  return { id, text: null, usage: null, cost_usd: null, model, error };
}
