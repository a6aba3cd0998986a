/**
 * Saved runs: one JSON file per chain or parallel run in the runs directory, named by its id
 * (`chain_YYYYMMDD_HHMMSS[_n]`, `parallel_…`). An id is reserved when the run starts (a
 * "running" record, so usage records and the file agree, and a crashed run still shows up), and
 * every write is atomic: a temp file in the same directory, then link (reserve) or rename (update).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, link, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LlmoError, UsageError } from '../errors.js';
import type { RunRecord } from './run-record.js';

export type RunKind = RunRecord['kind'];

/** `20250102_030405`, in local time like conversation ids. */
export function timestampId(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}_${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

async function writeTemp(directory: string, record: unknown): Promise<string> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const temp = path.join(directory, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}.json`);
  await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return temp;
}

/** Reserves a new id by writing `record` (with that id) under it; returns the id. */
export async function reserveRun(runsDir: string, kind: RunKind, startedAt: Date, record: (id: string) => RunRecord): Promise<string> {
  const base = `${kind}_${timestampId(startedAt)}`;
  for (let suffix = 1; suffix < 1000; suffix += 1) {
    const id = suffix === 1 ? base : `${base}_${suffix}`;
    const temp = await writeTemp(runsDir, record(id));
    try {
      // link fails when the name is taken, which makes reserving atomic and exclusive.
      await link(temp, path.join(runsDir, `${id}.json`));
      return id;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new LlmoError(`cannot save the run in ${runsDir}: ${(error as Error).message}`);
    } finally {
      await unlink(temp).catch(() => {});
    }
  }
  throw new LlmoError(`cannot find a free run id for ${base} in ${runsDir}`);
}

/** Replaces a run's record atomically. */
export async function saveRun(runsDir: string, record: RunRecord): Promise<string> {
  const file = path.join(runsDir, `${record.id}.json`);
  const temp = await writeTemp(runsDir, record);
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  return file;
}

/** Forgets a reserved run that never started (it was refused before any call). */
export async function discardRun(runsDir: string, id: string): Promise<void> {
  await unlink(path.join(runsDir, `${id}.json`)).catch(() => {});
}

/** Every readable run, newest first. Files that do not parse are skipped. */
export async function listRuns(runsDir: string): Promise<RunRecord[]> {
  let names: string[];
  try {
    names = await readdir(runsDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const records = await Promise.all(
    names
      .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
      .map(async (name) => {
        try {
          return JSON.parse(await readFile(path.join(runsDir, name), 'utf8')) as RunRecord;
        } catch {
          return undefined;
        }
      }),
  );
  return records
    .filter((record): record is RunRecord => record !== undefined && typeof record.id === 'string')
    .sort((left, right) => right.started_at.localeCompare(left.started_at) || right.id.localeCompare(left.id));
}

/** One run by id, or by an unambiguous prefix of one (`chain_20250102`). */
export async function readRun(runsDir: string, id: string): Promise<RunRecord> {
  const wanted = id.replace(/\.json$/, '');
  const runs = await listRuns(runsDir);
  const exact = runs.find((run) => run.id === wanted);
  if (exact) return exact;
  const matches = runs.filter((run) => run.id.startsWith(wanted));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new UsageError(`"${id}" matches ${matches.length} runs: ${matches.slice(0, 5).map((run) => run.id).join(', ')}${matches.length > 5 ? ', …' : ''}`, {
      hint: 'give more of the id',
    });
  }
  throw new UsageError(`no run "${id}" in ${runsDir}`, { hint: 'llmo chain runs lists the saved runs' });
}
