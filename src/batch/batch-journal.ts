/**
 * A batch's journal, `batches/ID/` under the data directory: `batch.json` says what the batch is
 * (its input, model, options, state and counts) and `results.jsonl` gets one line per finished
 * input line, appended the moment it finishes. A run killed at any point (Ctrl-C, a crash,
 * SIGKILL) therefore loses at most the lines in flight; `llmo batch resume` reads which lines
 * already succeeded and sends only the others. A last line torn by a kill is ignored.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { timestampId, writeFileAtomic } from '../conversations/index.js';
import { ConfigError, LlmoError } from '../errors.js';
import type { InputFormat } from './read-input.js';

/** `ended`: the vendor has finished and its results wait to be fetched (`done` once they are). */
export type BatchState = 'running' | 'interrupted' | 'done' | 'submitted' | 'ended' | 'cancelling' | 'cancelled' | 'failed';

export interface BatchMeta {
  version: 1;
  id: string;
  mode: 'local' | 'vendor';
  state: BatchState;
  created_at: string;
  updated_at: string;
  /** Absolute path of the input file. */
  input: string;
  format: InputFormat;
  /** The -m reference. */
  model: string;
  prompt_template?: string | undefined;
  system?: string | undefined;
  max_tokens?: number | undefined;
  skip_invalid: boolean;
  /** --schema as given (a file as an absolute path) and --repair. */
  schema?: string | undefined;
  repairs?: number | undefined;
  concurrency?: number | undefined;
  rpm?: number | undefined;
  tpm?: number | undefined;
  /** Absolute path of the output file; absent: stdout. */
  output?: string | undefined;
  total: number;
  ok: number;
  failed: number;
  cost_usd: number;
  /** Vendor mode with -m auto…: how routing chose the model, recorded with each line's usage. */
  routed?: { mode: string; reason: string } | undefined;
  /** Vendor mode: who runs it and their id for it. */
  vendor?: { provider: string; model: string; batch_id: string; status?: string | undefined } | undefined;
}

export function batchesDir(dataDir: string): string {
  return path.join(dataDir, 'batches');
}

const ID_PATTERN = /^batch_[0-9A-Za-z_]+$/;

/** Makes `batches/ID/` for a new batch (the directory's creation reserves the id). */
export async function createBatchDirectory(dataDir: string, startedAt: Date): Promise<{ id: string; directory: string }> {
  const root = batchesDir(dataDir);
  await mkdir(root, { recursive: true, mode: 0o700 });
  const base = `batch_${timestampId(startedAt)}`;
  for (let attempt = 1; attempt < 1000; attempt += 1) {
    const id = attempt === 1 ? base : `${base}_${attempt}`;
    const directory = path.join(root, id);
    try {
      await mkdir(directory, { mode: 0o700 });
      return { id, directory };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new LlmoError(`cannot create ${directory}: ${(error as Error).message}`);
    }
  }
  throw new LlmoError(`cannot find a free batch id for ${base} in ${root}`);
}

export function batchDirectory(dataDir: string, id: string): string {
  if (!ID_PATTERN.test(id)) throw new ConfigError(`"${id}" is not a batch id`, { hint: 'llmo batch list shows them' });
  return path.join(batchesDir(dataDir), id);
}

export async function saveMeta(directory: string, meta: BatchMeta): Promise<void> {
  await writeFileAtomic(
    path.join(directory, 'batch.json'),
    `${JSON.stringify({ ...meta, updated_at: new Date().toISOString() }, null, 2)}\n`,
  );
}

export async function readMeta(dataDir: string, id: string): Promise<{ meta: BatchMeta; directory: string }> {
  const directory = batchDirectory(dataDir, id);
  let text: string;
  try {
    text = await readFile(path.join(directory, 'batch.json'), 'utf8');
  } catch {
    throw new ConfigError(`no batch "${id}"`, { hint: 'llmo batch list shows the batches' });
  }
  try {
    return { meta: JSON.parse(text) as BatchMeta, directory };
  } catch (error) {
    throw new ConfigError(`${path.join(directory, 'batch.json')} is damaged: ${(error as Error).message}`);
  }
}

export async function listBatches(dataDir: string): Promise<BatchMeta[]> {
  const names = await readdir(batchesDir(dataDir)).catch(() => [] as string[]);
  const metas: BatchMeta[] = [];
  for (const name of names.filter((entry) => ID_PATTERN.test(entry)).sort()) {
    const found = await readMeta(dataDir, name).catch(() => undefined);
    if (found) metas.push(found.meta);
  }
  return metas;
}

/** Where one line's result sits in results.jsonl, so it can be read back without loading the file. */
interface ResultPlace {
  offset: number;
  length: number;
  ok: boolean;
}

/**
 * results.jsonl: append-only, one `{"i": INDEX, …output line}` per finished line; the latest line
 * for an index wins. Only byte places are kept in memory. A line that failed is tried again on resume.
 */
export class ResultsLog {
  private readonly places = new Map<number, ResultPlace>();
  private readonly fd: number;
  private size = 0;

  private constructor(readonly file: string) {
    this.fd = openSync(file, 'a+', 0o600);
  }

  static async open(directory: string): Promise<ResultsLog> {
    const log = new ResultsLog(path.join(directory, 'results.jsonl'));
    await log.index();
    return log;
  }

  private async index(): Promise<void> {
    let offset = 0;
    let carry = Buffer.alloc(0);
    for await (const chunk of createReadStream(this.file)) {
      let buffer = Buffer.concat([carry, chunk as Buffer]);
      let newline = buffer.indexOf(10);
      while (newline >= 0) {
        this.note(buffer.subarray(0, newline), offset);
        offset += newline + 1;
        buffer = buffer.subarray(newline + 1);
        newline = buffer.indexOf(10);
      }
      carry = buffer;
    }
    // A torn last line (killed mid-write) is dropped: its line simply runs again.
    this.size = offset;
    if (carry.length > 0) this.write('\n');
  }

  private note(line: Buffer, offset: number): void {
    try {
      const result = JSON.parse(line.toString('utf8')) as { i?: unknown; error?: unknown };
      if (typeof result.i !== 'number') return;
      this.places.set(result.i, { offset, length: line.length, ok: result.error === null || result.error === undefined });
    } catch {
      // A damaged line counts as no result.
    }
  }

  /** Whether this input line already has a successful result. */
  has(index: number): boolean {
    return this.places.get(index)?.ok === true;
  }

  get succeeded(): number {
    let count = 0;
    for (const place of this.places.values()) if (place.ok) count += 1;
    return count;
  }

  /** The output line last kept for `index`, success or failure (without the journal's `i`), newline included. */
  read(index: number): string | undefined {
    const place = this.places.get(index);
    if (!place) return undefined;
    const buffer = Buffer.alloc(place.length);
    readSync(this.fd, buffer, 0, place.length, place.offset);
    const { i: _index, ...output } = JSON.parse(buffer.toString('utf8')) as Record<string, unknown>;
    return `${JSON.stringify(output)}\n`;
  }

  /** Appends one result in a single write, so a kill tears at most this line. */
  append(index: number, output: Record<string, unknown>): void {
    const line = JSON.stringify({ i: index, ...output });
    const offset = this.size;
    this.write(`${line}\n`);
    this.places.set(index, { offset, length: Buffer.byteLength(line), ok: output.error === null || output.error === undefined });
  }

  private write(text: string): void {
    this.size += writeSync(this.fd, text);
  }

  close(): void {
    closeSync(this.fd);
  }
}
