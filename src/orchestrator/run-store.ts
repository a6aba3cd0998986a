/**
 * Saved runs: one JSON file per chain or parallel run in the runs directory, named by its id
 * (`chain_YYYYMMDD_HHMMSS[_n]`, `parallel_…`). An id is reserved when the run starts (a
 * "running" record, so usage records and the file agree, and a crashed run still shows up), and
 * every write is atomic (writeFileAtomic: temp file, fsync, link to reserve or rename to update).
 */
import { readdir, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
// The id helpers alone, not the conversations barrel (its store and formatting load with it).
import { candidateId, timestampId } from '../conversations/conversation-id.js';
import { writeCheckpoint, writeFileAtomic } from '../fs/atomic-write.js';
import { LlmoError, UsageError } from '../errors.js';
import type { RunRecord } from './run-record.js';

export type RunKind = RunRecord['kind'];

export { timestampId };

/** How a run is saved: indented JSON (run-checkpoint.ts writes the same text step by step). */
export const serialiseRun = (record: RunRecord) => `${JSON.stringify(record, null, 2)}\n`;

/** Reserves a new id by writing `record` (with that id) under it; returns the id. */
export async function reserveRun(runsDir: string, kind: RunKind, startedAt: Date, record: (id: string) => RunRecord): Promise<string> {
  const base = `${kind}_${timestampId(startedAt)}`;
  for (let attempt = 1; attempt < 1000; attempt += 1) {
    const id = candidateId(base, attempt);
    try {
      // Exclusive: fails when the name is taken, which makes reserving atomic across processes.
      await writeFileAtomic(path.join(runsDir, `${id}.json`), serialiseRun(record(id)), { exclusive: true });
      return id;
    } catch (error) {
      // EEXIST also comes from a runs "folder" that is a file: only a taken name means try the next.
      const taken = (error as NodeJS.ErrnoException).code === 'EEXIST' && (await isFile(path.join(runsDir, `${id}.json`)));
      if (!taken) throw new LlmoError(`cannot save the run in ${runsDir}: ${(error as Error).message}`);
    }
  }
  throw new LlmoError(`cannot find a free run id for ${base} in ${runsDir}`);
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (stats) => stats.isFile(),
    () => false,
  );
}

/** Replaces a run's record atomically (and durably). */
export async function saveRun(runsDir: string, record: RunRecord): Promise<string> {
  const file = path.join(runsDir, `${record.id}.json`);
  await writeFileAtomic(file, serialiseRun(record));
  return file;
}

/** A progress save that a later one replaces (run-checkpoint.ts makes the bytes): see writeCheckpoint. */
export async function saveCheckpoint(runsDir: string, id: string, bytes: Buffer): Promise<void> {
  await writeCheckpoint(path.join(runsDir, `${id}.json`), bytes);
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
    throw new UsageError(
      `"${id}" matches ${matches.length} runs: ${matches
        .slice(0, 5)
        .map((run) => run.id)
        .join(', ')}${matches.length > 5 ? ', …' : ''}`,
      {
        hint: 'give more of the id',
      },
    );
  }
  throw new UsageError(`no run "${id}" in ${runsDir}`, { hint: 'llmo chain runs lists the saved runs' });
}
