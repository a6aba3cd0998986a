/**
 * `llmo batch run` and `llmo batch resume`: the local runner. Before any request the whole input
 * is read once — malformed lines are reported with their line numbers (exit 3) and the worst
 * case of every line is checked against the budgets (exit 6) — then the lines are streamed
 * through the runner, journalled under `batches/ID/`, and written out in input order.
 */
import { existsSync } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createBatchDirectory, type BatchMeta, readMeta, ResultsLog, saveMeta } from '../../batch/batch-journal.js';
import { RateLimiter } from '../../batch/rate-limiter.js';
import { formatOf } from '../../batch/read-input.js';
import { type LocalBatchOutcome, runLocalBatch } from '../../batch/run-local-batch.js';
import { batchItems, type InputSource, type Scan, type ScanOptions, scanInput, tokensFor } from '../../batch/scan-input.js';
import { lineSender } from '../../batch/send-line.js';
import { ConfigError, ExitCode, InterruptedError, LlmoError, PartialFailureError, UsageError } from '../../errors.js';
import { parseTemplate, TemplateSyntaxError, variables } from '../../orchestrator/template.js';
import { RateLimitError } from '../../providers/spec.js';
import { formatUsd } from '../../usage/pricing.js';
import { createAccounting, createResolver, defaultModelRef, getConfig, retryPolicy, timeoutMs } from '../context.js';
import { note } from '../output.js';
import { parseNumberFlag } from '../parse-number.js';
import { abortOnInterrupt } from '../signals.js';
import type { BatchIdOptions, BatchInputOptions, BatchRunOptions } from './batch-command.js';
import { openOutput } from './batch-output.js';
import { createBatchProgress } from './batch-progress.js';
import { keepHeapSmall } from '../heap-tuning.js';
import { checkRouting, lineRouter } from './batch-routing.js';

/** Every line failed (exit 5). */
export class BatchFailedError extends LlmoError {
  override readonly exitCode = ExitCode.provider;
}

export async function runBatch(input: string, options: BatchRunOptions): Promise<void> {
  if (options.schema === undefined && options.repair !== undefined) throw new UsageError('--repair only applies with --schema');
  await checkRouting(options);
  if (options.mode === 'vendor' || (options.mode === 'auto' && options.schema === undefined)) {
    if (options.schema !== undefined)
      throw new UsageError('--schema runs in local mode only (its repair loop needs each reply at once)', { hint: 'drop --mode vendor' });
    const { submitBatch, vendorModeFits } = await import('./vendor-batch.js');
    if (options.mode === 'vendor' || (await vendorModeFits(input, options))) return submitBatch(input, options);
  }
  const { settings } = getConfig();
  const meta = await describeBatch(input, options, 'local');
  meta.concurrency = parseNumberFlag('--concurrency', options.concurrency, { min: 1, integer: true }) ?? settings.batch.concurrency;
  meta.rpm = parseNumberFlag('--rpm', options.rpm, { min: 0.001 }) ?? settings.batch.rpm;
  meta.tpm = parseNumberFlag('--tpm', options.tpm, { min: 1 }) ?? settings.batch.tpm;
  if (options.schema !== undefined) {
    const { prepareSchemaFlags } = await import('../schema/schema-flags.js');
    // Checked now (a broken schema is exit 3 before anything is sent), prepared again by the run.
    const { repairs } = await prepareSchemaFlags({ schema: options.schema, repair: options.repair });
    meta.schema = existsSync(options.schema) ? path.resolve(options.schema) : options.schema;
    meta.repairs = repairs;
  }
  await executeLocal(meta, undefined, {
    quiet: Boolean(options.quiet),
    budget: options.budget,
    timeout: options.timeout,
    explain: Boolean(options.explain),
  });
}

export async function resumeBatch(id: string, options: BatchIdOptions): Promise<void> {
  const { meta, directory } = await readMeta(getConfig().paths.dataDir, id);
  if (meta.mode !== 'local')
    throw new UsageError(`batch ${id} runs on ${meta.vendor?.provider ?? 'the vendor'}; it has nothing to resume`, {
      hint: `llmo batch wait ${id}`,
    });
  if (options.output !== undefined) meta.output = path.resolve(options.output);
  await access(meta.input).catch(() => {
    throw new ConfigError(`batch ${id} reads ${meta.input}, which is gone`, { hint: 'put the input file back where it was to resume' });
  });
  await executeLocal(meta, directory, { quiet: Boolean(options.quiet), budget: true });
}

async function prepareStructured(schema: string, repairs: number | undefined) {
  const { prepareSchemaFlags } = await import('../schema/schema-flags.js');
  return prepareSchemaFlags({ schema, repair: repairs === undefined ? undefined : String(repairs) });
}

/** The batch record for a new batch: the input checked, the template parsed, the defaults filled in. */
export async function describeBatch(input: string, options: BatchInputOptions, mode: BatchMeta['mode']): Promise<BatchMeta> {
  const file = path.resolve(input);
  await access(file).catch(() => {
    throw new UsageError(`cannot read the input file ${input}`, { hint: 'give a JSONL or CSV file: llmo batch run lines.jsonl -m MODEL' });
  });
  if (options.prompt !== undefined && options.template !== undefined) throw new UsageError('give --prompt or --template, not both');
  const template = options.template !== undefined ? await readTemplateFile(options.template) : options.prompt;
  const now = new Date().toISOString();
  return {
    version: 1,
    id: '',
    mode,
    state: 'running',
    created_at: now,
    updated_at: now,
    input: file,
    format: formatOf(file),
    model: options.model ?? defaultModelRef(),
    ...(template !== undefined ? { prompt_template: template } : {}),
    ...(options.system !== undefined ? { system: options.system } : {}),
    ...(options.maxTokens !== undefined
      ? { max_tokens: parseNumberFlag('--max-tokens', options.maxTokens, { min: 1, integer: true }) }
      : {}),
    skip_invalid: Boolean(options.skipInvalid),
    ...(options.output !== undefined ? { output: path.resolve(options.output) } : {}),
    total: 0,
    ok: 0,
    failed: 0,
    cost_usd: 0,
  };
}

async function readTemplateFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the template file ${file}: ${(error as Error).message}`);
  }
}

export function inputSource(meta: BatchMeta): InputSource {
  let template;
  if (meta.prompt_template !== undefined) {
    try {
      template = parseTemplate(meta.prompt_template, { bareNames: true });
    } catch (error) {
      if (error instanceof TemplateSyntaxError) throw new ConfigError(`the prompt template: ${error.message}`);
      throw error;
    }
    const chainOnly = variables(template).find((part) => part.variable.kind !== 'var' && part.variable.kind !== 'input');
    if (chainOnly)
      throw new ConfigError(`the prompt template uses ${chainOnly.source}, which only chains have`, {
        hint: "a batch template names the line's fields: {{text}}, {{vars.KEY}}, {{input}} (its prompt)",
      });
  }
  return { file: meta.input, format: meta.format, template, system: meta.system };
}

/** Reads the input once; refuses malformed lines (unless skipped) and a budget the worst case would pass. */
export async function checkInput(
  meta: BatchMeta,
  source: InputSource,
  options: {
    budget: boolean;
    skip?: ((index: number) => boolean) | undefined;
    pricing?: ScanOptions['pricing'];
    callsPerLine?: number;
    route?: ScanOptions['route'];
  },
): Promise<Scan> {
  const config = getConfig();
  const scan = await scanInput(source, {
    catalog: config.catalog,
    model: meta.model,
    maxTokens: meta.max_tokens,
    fallbackMaxTokens: config.settings.request.maxTokens,
    skip: options.skip,
    pricing: options.pricing,
    route: options.route,
  });
  if (scan.problemCount > 0 && !meta.skip_invalid) {
    const name = path.basename(meta.input);
    for (const { lineNumber, problem } of scan.problems.slice(1)) note(`${name} line ${lineNumber}: ${problem}`);
    const [first] = scan.problems;
    const more = scan.problemCount > 1 ? ` (and ${scan.problemCount - 1} more malformed line${scan.problemCount > 2 ? 's' : ''})` : '';
    throw new ConfigError(`${name} line ${first!.lineNumber}: ${first!.problem}${more}; nothing was sent`, {
      hint: 'fix the line, or pass --skip-invalid to send the others (the malformed ones get an error line)',
    });
  }
  if (scan.total === 0) throw new UsageError(`${meta.input} holds no lines`);
  const accounting = await createAccounting({ noBudget: !options.budget });
  const repeat = options.callsPerLine ?? 1;
  await accounting.checkBudget(repeat > 1 ? scan.plan.flatMap((call) => new Array<typeof call>(repeat).fill(call)) : scan.plan);
  return scan;
}

/** From this many lines a batch runs long enough for V8's heap slack to matter (keepHeapSmall). */
const LONG_BATCH_LINES = 10_000;

interface ExecuteOptions {
  quiet: boolean;
  budget: boolean;
  timeout?: string | undefined;
  explain?: boolean;
}

async function executeLocal(meta: BatchMeta, existing: string | undefined, options: ExecuteOptions): Promise<void> {
  const config = getConfig();
  const source = inputSource(meta);
  let directory = existing;
  let results = directory ? await ResultsLog.open(directory) : undefined;
  const structured = meta.schema === undefined ? undefined : await prepareStructured(meta.schema, meta.repairs);
  // -m auto… (or a line's "model": "auto…") routes each line on its own request.
  const router = lineRouter({ maxTokens: meta.max_tokens, schema: structured !== undefined, explain: Boolean(options.explain) });
  const scan = await checkInput(meta, source, {
    budget: options.budget,
    skip: results ? (index) => results!.has(index) : undefined,
    // The worst case of a line with --schema: its call and every repair.
    callsPerLine: structured ? 1 + structured.repairs : 1,
    route: async (ref, line) => (await router.scan(ref, line)).ref,
  });
  if (!directory) {
    const created = await createBatchDirectory(config.paths.dataDir, new Date(meta.created_at));
    directory = created.directory;
    meta.id = created.id;
    results = await ResultsLog.open(directory);
  }
  meta.total = scan.total;
  meta.state = 'running';
  await saveMeta(directory, meta);
  if (!options.quiet) {
    note(`batch ${meta.id}: ${scan.total} lines${results!.succeeded ? ` (${results!.succeeded} already done)` : ''}`);
    for (const line of router.summary()) note(line);
  }

  if (scan.total >= LONG_BATCH_LINES) keepHeapSmall();
  const limiter = new RateLimiter({ rpm: meta.rpm, tpm: meta.tpm });
  const accounting = await createAccounting({ noBudget: !options.budget });
  const requestTimeout = timeoutMs(options.timeout);
  const send = lineSender({
    batchId: meta.id,
    model: meta.model,
    maxTokens: meta.max_tokens,
    resolve: createResolver({ quiet: options.quiet }),
    route: router.send,
    accounting,
    retry: {
      ...retryPolicy({ quiet: true }),
      onRetry: ({ error }) => {
        if (error instanceof RateLimitError) limiter.rateLimited(error.retryAfterMs);
      },
    },
    timeoutMs: requestTimeout,
    structured,
  });
  const output = openOutput(meta.output);
  const progress = createBatchProgress(meta.id, { quiet: options.quiet });
  const interrupt = abortOnInterrupt();
  const defaultMaxTokens = meta.max_tokens ?? config.settings.request.maxTokens;
  let outcome: LocalBatchOutcome;
  try {
    outcome = await runLocalBatch({
      items: batchItems(source),
      total: scan.total,
      results: results!,
      send,
      write: output.write,
      concurrency: meta.concurrency ?? config.settings.batch.concurrency,
      limiter,
      tokensFor: (line) => tokensFor(line, defaultMaxTokens),
      signal: interrupt.signal,
      onProgress: progress.update,
    });
  } finally {
    interrupt.dispose();
    progress.stop();
    results!.close();
    await output.close();
  }
  Object.assign(meta, {
    state: outcome.interrupted ? 'interrupted' : 'done',
    ok: outcome.ok,
    failed: outcome.failed,
    cost_usd: outcome.costUsd,
  });
  await saveMeta(directory, meta);
  reportOutcome(meta, outcome, options.quiet);
}

function reportOutcome(meta: BatchMeta, outcome: LocalBatchOutcome, quiet: boolean): void {
  const done = outcome.ok + outcome.failed;
  if (outcome.interrupted)
    throw new InterruptedError(`batch ${meta.id} interrupted with ${done} of ${meta.total} lines done`, {
      hint: `llmo batch resume ${meta.id} sends only the lines without a result`,
    });
  const seconds = ((Date.now() - outcome.startedAt) / 1000).toFixed(1);
  const where = meta.output ? `; output in ${meta.output}` : '';
  if (!quiet)
    note(
      `batch ${meta.id}: ${meta.total} lines, ${outcome.ok} ok, ${outcome.failed} failed, ${formatUsd(outcome.costUsd)}, ${seconds} s${where}`,
    );
  if (outcome.failed > 0 && outcome.ok === 0)
    throw new BatchFailedError(`batch ${meta.id}: every line failed; each output line carries its error`);
  if (outcome.failed > 0)
    throw new PartialFailureError(`batch ${meta.id}: ${outcome.failed} of ${meta.total} lines failed; their output lines carry the error`, {
      hint: `llmo batch resume ${meta.id} tries the failed lines again`,
    });
}
