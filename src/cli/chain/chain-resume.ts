/**
 * `llmo chain resume RUN_ID`: continues a failed, interrupted or killed chain run from its first
 * top-level step that did not finish, with the same input and vars, reusing the saved outputs
 * (and keeping their recorded costs) of the steps before it. The chain must be the one that
 * started the run: when its definition changed since (its digest differs), resuming is refused
 * (exit 3) unless --force. The run keeps its id; its record is updated in place.
 */
import type { LlmoConfig } from '../../config/load.js';
import { ConfigError, UsageError } from '../../errors.js';
import type { ChainDefinition } from '../../orchestrator/chain-definition.js';
import { chainDigest } from '../../orchestrator/chain-digest.js';
import { savedProgress } from '../../orchestrator/resume-point.js';
import type { RunRecord } from '../../orchestrator/run-record.js';
import { readRun, saveRun } from '../../orchestrator/run-store.js';
import { validateChain } from '../../orchestrator/validate-chain.js';
import type { ChainResumeOptions } from './chain-command.js';
import { executeChain } from './chain-execute.js';
import { loadChain } from './chain-source.js';
import { getConfig } from '../context.js';
import { note } from '../output.js';
import { chainRefResolver } from '../route/resolve-wanted.js';

export async function chainResume(id: string, options: ChainResumeOptions): Promise<void> {
  const config = getConfig();
  const { runsDir } = config.paths;
  const record = await readRun(runsDir, id);
  if (record.kind !== 'chain' || !record.chain) {
    throw new UsageError(`run ${record.id} is a parallel run; only chain runs can be resumed`, { hint: 'run llmo parallel again' });
  }
  if (record.status === 'ok') {
    throw new UsageError(`run ${record.id} finished; there is nothing to resume`, { hint: `llmo chain runs show ${record.id} prints it` });
  }
  if (!options.force) checkNotRunning(record);
  const chain = savedChain(record, config);
  checkDigest(record, chain, Boolean(options.force));
  const plan = validateChain(chain, {
    catalog: config.catalog,
    // Its `model: auto…` steps are routed again, as `chain run` routes them.
    resolveRef: await chainRefResolver(chain, config),
    vars: record.vars,
    schemas: config.settings.schemas,
    toolServers: [...config.settings.mcp.servers.keys()],
  });
  const progress = savedProgress(record, plan);
  const context = {
    id: record.id,
    startedAt: new Date(record.started_at),
    input: record.input,
    vars: record.vars,
    earlier: progress.earlier,
    priorMs: record.duration_ms,
  };
  if (progress.from === plan.steps.length) {
    if (record.status === 'running') return finishSaved(runsDir, record, options);
    throw new UsageError(`every step of run ${record.id} finished (status ${record.status}); there is nothing to resume`, {
      hint: 'run the chain again to ask the failed branches again',
    });
  }
  if (!options.quiet) {
    const next = plan.steps[progress.from]!;
    const reused = progress.from ? `; the outputs of steps 1–${progress.from} are reused` : '';
    note(`resuming run ${record.id} at step ${progress.from + 1} of ${plan.steps.length} ("${next.name}")${reused}`);
  }
  await executeChain({
    chain,
    plan,
    input: record.input,
    options: { ...options, var: [] },
    context,
    reserved: { id: record.id, saved: true },
    resume: progress,
  });
}

/** A run saved as running whose process is still there is going on: resuming it would run its steps twice. */
function checkNotRunning(record: RunRecord): void {
  if (record.status !== 'running' || record.pid === undefined || record.pid === process.pid) return;
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    // ESRCH: no such process — it was killed or crashed. EPERM: a process of someone else's.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return;
  }
  throw new UsageError(`run ${record.id} is still running (process ${record.pid})`, {
    hint: `wait for it to end, or stop it; --force resumes it anyway (if process ${record.pid} is not llmo)`,
  });
}

/** The chain the run was started with, loaded again from where it came from. */
function savedChain(record: RunRecord, config: LlmoConfig): ChainDefinition {
  const saved = record.chain!;
  try {
    return loadChain(saved.source === 'config' ? saved.name : saved.where, config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`cannot resume run ${record.id}: ${error.message}`, error.hint === undefined ? {} : { hint: error.hint });
  }
}

function checkDigest(record: RunRecord, chain: ChainDefinition, force: boolean): void {
  if (force) return;
  const saved = record.chain!.digest;
  if (saved === chainDigest(chain)) return;
  const what =
    saved === undefined ? 'was saved without a fingerprint of its chain' : `was started by a different version of chain "${chain.name}"`;
  throw new ConfigError(
    `run ${record.id} ${what} (${chain.origin.kind === 'inline' ? 'inline' : chain.origin.where}); resuming it could mix two chains' outputs`,
    {
      hint: `llmo chain resume ${record.id} --force resumes it with the chain as it is now`,
    },
  );
}

/** Killed after its last step but before its final save: every output is there; finish the record. */
async function finishSaved(runsDir: string, record: RunRecord, options: ChainResumeOptions): Promise<void> {
  const output = record.steps.at(-1)?.output ?? null;
  const { pid: _pid, ...rest } = record;
  const finished: RunRecord = { ...rest, status: 'ok', exit_code: 0, error: null, output };
  await saveRun(runsDir, finished);
  if (options.json) process.stdout.write(`${JSON.stringify(finished, null, 2)}\n`);
  else if (output !== null) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
}
