/**
 * Saving a chain or parallel run is a record of what happened, not the point of the command: like
 * `ask` with an unwritable conversations folder, a run whose folder cannot be written goes on
 * unsaved, with one warning, and the answers still reach stdout.
 */
import { errorMessage } from '../errors.js';
import type { RunRecord } from '../orchestrator/run-record.js';
import { type RunKind, reserveRun, saveRun, timestampId } from '../orchestrator/run-store.js';
import { warn } from './output.js';

export interface ReservedRun {
  id: string;
  /** False when the id could not be reserved on disk: the run is not saved. */
  saved: boolean;
}

/** Reserves the run's id on disk, or warns and hands back an unsaved id (usage records still carry it). */
export async function reserveRunOrWarn(
  runsDir: string,
  kind: RunKind,
  startedAt: Date,
  record: (id: string) => RunRecord,
): Promise<ReservedRun> {
  try {
    return { id: await reserveRun(runsDir, kind, startedAt, record), saved: true };
  } catch (error) {
    warn(`${errorMessage(error)}; the run goes on without being saved`);
    return { id: `${kind}_${timestampId(startedAt)}`, saved: false };
  }
}

/** Saves the finished run if its id was reserved; a failed write is a warning. Returns whether it was saved. */
export async function saveRunOrWarn(runsDir: string, reserved: ReservedRun, record: RunRecord): Promise<boolean> {
  if (!reserved.saved) return false;
  try {
    await saveRun(runsDir, record);
    return true;
  } catch (error) {
    warn(`could not save the run in ${runsDir}: ${errorMessage(error)}`);
    return false;
  }
}
