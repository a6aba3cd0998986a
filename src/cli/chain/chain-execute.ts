/**
 * Runs a validated chain for `chain run` and `chain resume`: live progress on stderr, the run
 * saved after each top-level step (so a crash leaves something to resume) and at the end, and
 * the last step's output (or the whole run with --json) on stdout.
 */
import type { ChainDefinition } from '../../orchestrator/chain-definition.js';
import { retryNotice } from '../../providers/retry.js';
import { runChain, type ChainEvent, type ResumePoint, type StepRun } from '../../orchestrator/run-chain.js';
import { RunCheckpoint } from '../../orchestrator/run-checkpoint.js';
import { chainRunRecord, type RecordContext } from '../../orchestrator/run-record.js';
import { discardRun, saveCheckpoint } from '../../orchestrator/run-store.js';
import type { ChainPlan, PlannedStep } from '../../orchestrator/validate-chain.js';
import type { ChainRunOptions } from './chain-command.js';
import { createChainProgress } from './chain-progress.js';
import { createAccounting, createResolver, getConfig, openResponseCache, retryPolicy, timeoutMs } from '../context.js';
import { note } from '../output.js';
import { parseNumberFlag } from '../parse-number.js';
import { schemaCacheDir } from '../schema/schema-flags.js';
import { saveRunOrWarn, type ReservedRun } from '../save-run.js';
import { abortOnInterrupt } from '../signals.js';

export interface ExecuteChain {
  chain: ChainDefinition;
  plan: ChainPlan;
  input: string;
  options: ChainRunOptions;
  context: RecordContext;
  reserved: ReservedRun;
  /** `chain resume`: where to start, and what the earlier run produced. */
  resume?: ResumePoint | undefined;
}

export async function executeChain({ chain, plan, input, options, context, reserved, resume }: ExecuteChain): Promise<void> {
  const config = getConfig();
  const repairs = parseNumberFlag('--repair', options.repair, { min: 0, max: 10, integer: true });
  const requestTimeout = timeoutMs(options.timeout);
  const resolve = createResolver({ quiet: Boolean(options.quiet) });
  const accounting = await createAccounting({ noBudget: !options.budget });
  const progress = createChainProgress(plan, {
    quiet: Boolean(options.quiet),
    live: Boolean(process.stderr.isTTY),
    // On a terminal the last step's answer streams as it arrives; a pipe gets it whole, or nothing.
    output: !options.json && process.stdout.isTTY ? process.stdout : undefined,
  });
  const retry = {
    ...retryPolicy({ quiet: true }),
    onRetry: (info: Parameters<typeof retryNotice>[0]) => progress.note(retryNotice(info, config.settings.request.retries)),
  };

  const { runsDir } = config.paths;
  const { id } = reserved;
  const saves = progressSaver(runsDir, reserved, context, chain, plan, resume?.from);
  const selectors = plan.allSteps.flatMap((step) => step.tools?.selectors ?? []);
  // No terminal prompt under a live progress board: a chain's `ask` tools need --approve or --yes.
  const tools = selectors.length
    ? await (await import('../tools/open-run-tools.js')).openRunTools(config, { ...options, tools: selectors })
    : undefined;
  const interrupt = abortOnInterrupt();
  let run;
  try {
    run = await runChain({
      plan,
      input,
      resolve,
      accounting,
      retry,
      concurrency: config.settings.parallel.concurrency,
      source: { kind: 'chain', id, name: chain.name },
      enforceBudget: options.budget,
      signal: interrupt.signal,
      timeoutMs: requestTimeout,
      repairs,
      schemaCacheDir: schemaCacheDir(config.paths.runtimeDir),
      cache: options.cache === false ? undefined : await openResponseCache(),
      cacheByDefault: options.cache ?? config.settings.cache.enabled,
      onEvent: (event) => {
        progress.onEvent(event);
        saves.onEvent(event);
      },
      tools,
      resume,
    });
  } catch (error) {
    // Refused before any call (a missing key, the budget): there is no run to keep (a resumed
    // one keeps its record as it was).
    if (reserved.saved && !resume) await discardRun(runsDir, id);
    throw error;
  } finally {
    interrupt.dispose();
    progress.stop();
    await tools?.host.close();
    await saves.settled();
  }

  const record = chainRunRecord(context, chain, run);
  const saved = await saveRunOrWarn(runsDir, reserved, record);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
  } else if (run.output !== undefined && !progress.printedOutput()) {
    process.stdout.write(run.output.endsWith('\n') ? run.output : `${run.output}\n`);
  }
  if (run.error) {
    if (saved && record.steps.some((step) => step.output !== null))
      note(`run saved as ${id}; llmo chain runs show ${id} prints every output, llmo chain resume ${id} continues it`);
    throw run.error;
  }
}

/**
 * Saves the run after each top-level step without holding the chain up: a killed run then has
 * its finished steps on disk for `chain resume`. One write at a time; a step that ends while one
 * is going is saved by the next (only the latest record is written). The writes are checkpoints
 * (atomic, not fsynced): the final save is the durable one. A failed write is left to it to report.
 */
function progressSaver(
  runsDir: string,
  reserved: ReservedRun,
  context: RecordContext,
  chain: ChainDefinition,
  plan: ChainPlan,
  resumedFrom: number | undefined,
) {
  const started = Date.now();
  const checkpoint = new RunCheckpoint(context, chain);
  let writing: Promise<void> | undefined;
  let pending = false;
  const write = async (): Promise<void> => {
    while (pending) {
      pending = false;
      await saveCheckpoint(runsDir, reserved.id, checkpoint.bytes(Date.now() - started)).catch(() => {});
    }
    writing = undefined;
  };
  return {
    onEvent(event: ChainEvent) {
      if (!reserved.saved || event.type !== 'step-end' || event.run.output === undefined) return;
      const position = plan.steps.indexOf(event.step) - (resumedFrom ?? 0);
      if (position < 0) return;
      // Top-level steps that ended without a step-end of their own were skipped (by when:, or by
      // on_error: after failing): output "", as the final record has them.
      for (let gap = checkpoint.finished; gap < position; gap += 1) checkpoint.set(gap, skippedRun(plan.steps[gap + (resumedFrom ?? 0)]!));
      checkpoint.set(position, event.run);
      pending = true;
      writing ??= write();
    },
    settled: () => writing ?? Promise.resolve(),
  };
}

function skippedRun(step: PlannedStep): StepRun {
  const { index, name, parallel } = step;
  return {
    index,
    name,
    parallel,
    status: 'skipped',
    prompt: undefined,
    output: '',
    branches: [],
    durationMs: 0,
    error: undefined,
    skipped: true,
  };
}
