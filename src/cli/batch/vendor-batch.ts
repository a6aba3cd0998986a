/**
 * Vendor mode: the lines go to the provider's batch API (OpenAI, Anthropic, Gemini, Mistral) in
 * one submission; llmo records the vendor's batch id under `batches/ID/` and returns at once.
 * `status` and `wait` poll the vendor; `results` fetches the answers once, journals them, logs
 * each line's usage at batch prices, and writes the output JSONL in input order.
 */
import { type BatchMeta, createBatchDirectory, readMeta, ResultsLog, saveMeta } from '../../batch/batch-journal.js';
import { failedOutput, type OutputLine } from '../../batch/run-local-batch.js';
import { batchItems } from '../../batch/scan-input.js';
import { ConfigError, UsageError } from '../../errors.js';
import type { ResolvedModel } from '../../orchestrator/call-model.js';
import { sleep } from '../../providers/retry.js';
import type { BatchApi, BatchJob, BatchRequestItem } from '../../providers/spec.js';
import { batchPricing, costOf, formatUsd } from '../../usage/pricing.js';
import { createAccounting, createResolver, getConfig } from '../context.js';
import { note } from '../output.js';
import { abortOnInterrupt } from '../signals.js';
import { checkInput, describeBatch, inputSource } from './batch.js';
import { openOutput } from './batch-output.js';
import type { BatchIdOptions, BatchRunOptions } from './batch-command.js';
import { describeMeta } from './batch-status.js';
import { checkOneModel, checkRouting, routeVendorBatch, vendorRef } from './batch-routing.js';
import { isAutoRef } from '../route/is-auto-ref.js';

/** The vendors' batch window. */
const VENDOR_WINDOW_MS = 24 * 3600 * 1000;

/**
 * --mode auto: vendor mode when the model's provider has a batch API and --within allows its
 * window. With -m auto…: when routing finds a model with a batch API for the input.
 */
export async function vendorModeFits(input: string, options: BatchRunOptions): Promise<boolean> {
  if (options.within === undefined || parseDuration(options.within) < VENDOR_WINDOW_MS) return false;
  const ref = options.model ?? defaultRef();
  if (isAutoRef(ref)) {
    const meta = await describeBatch(input, options, 'vendor');
    try {
      await routeVendorBatch(ref, inputSource(meta), { maxTokens: meta.max_tokens, explain: false });
      return true;
    } catch (error) {
      if (error instanceof ConfigError) return false;
      throw error;
    }
  }
  const { model } = await createResolver({ quiet: true })(ref);
  return model.batch !== undefined;
}

function defaultRef(): string {
  const { mainLlm } = getConfig().settings;
  return mainLlm.model ? `${mainLlm.provider}:${mainLlm.model}` : mainLlm.provider;
}

export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(text.trim());
  if (!match) throw new UsageError(`--within must be a duration such as 30m, 24h or 2d, got "${text}"`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

async function batchModel(ref: string): Promise<{ resolved: ResolvedModel; batch: BatchApi }> {
  const resolved = await createResolver({ quiet: true })(ref);
  const { batch } = resolved.model;
  if (!batch)
    throw new ConfigError(`${resolved.provider} has no batch API`, { hint: 'run it locally instead: llmo batch run IN -m MODEL' });
  return { resolved, batch };
}

export async function submitBatch(input: string, options: BatchRunOptions): Promise<void> {
  await checkRouting(options);
  const meta = await describeBatch(input, options, 'vendor');
  const source = inputSource(meta);
  // -m auto…: one model for the whole batch, chosen before it is created.
  const route = isAutoRef(meta.model)
    ? await routeVendorBatch(meta.model, source, { maxTokens: meta.max_tokens, explain: Boolean(options.explain) })
    : undefined;
  if (route) meta.routed = { mode: route.routed.mode, reason: route.routed.reason };
  const { resolved, batch } = await batchModel(route?.ref ?? meta.model);
  const scan = await checkInput(meta, source, {
    budget: options.budget,
    pricing: batchPricing,
    route: async (ref) => vendorRef(ref, meta.model, route?.ref),
  });
  const { catalog } = getConfig();
  const invalid: Array<{ index: number; output: OutputLine }> = [];
  let sent = 0;
  // Read from the input as the submission goes out, never collected here.
  async function* requestItems(): AsyncGenerator<BatchRequestItem> {
    for await (const item of batchItems(source)) {
      if (item.kind === 'invalid') {
        invalid.push({ index: item.index, output: failedOutput(item.id, `line ${item.lineNumber}: ${item.problem}`) });
        continue;
      }
      const { line } = item;
      const maxTokens = line.maxTokens ?? meta.max_tokens ?? resolved.requestMaxTokens;
      sent += 1;
      yield { customId: String(line.index), request: { messages: line.messages, ...(maxTokens !== undefined ? { maxTokens } : {}) } };
    }
  }
  checkOneModel(scan.refs, catalog, resolved, (ref) => vendorRef(ref, meta.model, route?.ref));
  if (route && !options.quiet) note(`-m ${meta.model} chose ${route.ref} for the vendor batch: ${route.routed.reason}`);
  const job = await batch.submit(requestItems());
  const { id, directory } = await createBatchDirectory(getConfig().paths.dataDir, new Date(meta.created_at));
  Object.assign(meta, {
    id,
    total: scan.total,
    state: 'submitted',
    vendor: { provider: resolved.provider, model: resolved.modelId, batch_id: job.id, status: job.vendorStatus },
  });
  const results = await ResultsLog.open(directory);
  for (const { index, output } of invalid) results.append(index, { ...output });
  results.close();
  meta.failed = invalid.length;
  await saveMeta(directory, meta);
  process.stdout.write(`${id}\n`);
  if (!options.quiet)
    note(`batch ${id}: ${sent} lines submitted to ${resolved.provider} (${job.id}); llmo batch wait ${id} writes the results when it ends`);
}

const STATES: Record<BatchJob['state'], BatchMeta['state']> = {
  running: 'running',
  ended: 'ended',
  cancelling: 'cancelling',
  cancelled: 'cancelled',
  failed: 'failed',
  expired: 'failed',
};

/** Asks the vendor where the batch is and keeps the answer in batch.json. */
export async function refreshVendorBatch(id: string): Promise<{ meta: BatchMeta; job: BatchJob | undefined }> {
  const { meta, directory } = await readMeta(getConfig().paths.dataDir, id);
  const vendor = vendorOf(meta);
  // Fetched already: the journal is the answer.
  if (meta.state === 'done') return { meta, job: undefined };
  const { batch } = await batchModel(`${vendor.provider}:${vendor.model}`);
  const job = await batch.status(vendor.batch_id);
  vendor.status = job.vendorStatus;
  meta.state = STATES[job.state];
  meta.ok = job.counts.succeeded;
  await saveMeta(directory, meta);
  return { meta, job };
}

function vendorOf(meta: BatchMeta): NonNullable<BatchMeta['vendor']> {
  if (meta.mode !== 'vendor' || !meta.vendor)
    throw new UsageError(`batch ${meta.id} runs locally`, { hint: `llmo batch resume ${meta.id}` });
  return meta.vendor;
}

export async function waitBatch(id: string, options: BatchIdOptions): Promise<void> {
  const pollMs = Number(options.pollSeconds ?? 10) * 1000;
  if (!Number.isFinite(pollMs) || pollMs < 0)
    throw new UsageError(`--poll-seconds must be a number of seconds, got "${options.pollSeconds}"`);
  const interrupt = abortOnInterrupt();
  try {
    for (;;) {
      const { meta, job } = await refreshVendorBatch(id);
      if (!options.quiet)
        note(`batch ${id}: ${meta.vendor?.status} ${job ? job.counts.succeeded + job.counts.failed : meta.ok + meta.failed}/${meta.total}`);
      if (!job || (job.state !== 'running' && job.state !== 'cancelling')) break;
      await sleep(pollMs, interrupt.signal);
    }
  } finally {
    interrupt.dispose();
  }
  await batchResults(id, options);
}

export async function batchResults(id: string, options: BatchIdOptions): Promise<void> {
  const { dataDir } = getConfig().paths;
  let { meta, directory } = await readMeta(dataDir, id);
  if (meta.mode === 'vendor' && meta.state !== 'done') {
    // The journal counts only once the vendor's answers are in.
    await fetchVendorResults(meta, directory);
    ({ meta, directory } = await readMeta(dataDir, id));
  }
  const results = await ResultsLog.open(directory);
  const unanswered = meta.vendor?.status ? `no answer: the batch ended ${meta.vendor.status}` : 'no answer';
  const output = openOutput(options.output);
  try {
    for await (const item of batchItems(inputSource(meta))) {
      const index = item.kind === 'line' ? item.line.index : item.index;
      const id = item.kind === 'line' ? item.line.id : item.id;
      await output.write(results.read(index) ?? `${JSON.stringify(failedOutput(id, unanswered))}\n`);
    }
  } finally {
    results.close();
    await output.close();
  }
  if (meta.failed > 0 && meta.ok === 0) {
    const { BatchFailedError } = await import('./batch.js');
    throw new BatchFailedError(`batch ${id}: every line failed; each output line carries its error`);
  }
  if (meta.failed > 0) {
    const { PartialFailureError } = await import('../../errors.js');
    throw new PartialFailureError(`batch ${id}: ${meta.failed} of ${meta.total} lines failed; their output lines carry the error`);
  }
}

async function fetchVendorResults(meta: BatchMeta, directory: string): Promise<void> {
  const vendor = vendorOf(meta);
  const { resolved, batch } = await batchModel(`${vendor.provider}:${vendor.model}`);
  const job = await batch.status(vendor.batch_id);
  if (job.state === 'running' || job.state === 'cancelling')
    throw new UsageError(`batch ${meta.id} is still ${job.vendorStatus} at ${vendor.provider}`, { hint: `llmo batch wait ${meta.id}` });
  const ids = new Map<number, OutputLine['id']>();
  for await (const item of batchItems(inputSource(meta)))
    ids.set(item.kind === 'line' ? item.line.index : item.index, item.kind === 'line' ? item.line.id : item.id);
  const pricing = batchPricing(resolved.info?.pricing);
  const accounting = await createAccounting();
  const results = await ResultsLog.open(directory);
  const label = `${resolved.provider}:${resolved.modelId}`;
  let ok = 0;
  let failed = 0;
  let cost = 0;
  try {
    for await (const item of batch.results(vendor.batch_id)) {
      const index = Number(item.customId);
      const id = ids.get(index);
      if (id === undefined) continue;
      if (item.type === 'error') {
        failed += 1;
        results.append(index, { ...failedOutput(id, item.error, label) });
        continue;
      }
      const { usage } = item.result;
      const costUsd = costOf(usage, pricing);
      ok += 1;
      cost += costUsd ?? 0;
      const output: OutputLine = {
        id,
        text: item.result.text,
        usage: usage ? { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens } : null,
        cost_usd: costUsd ?? null,
        model: label,
        error: null,
      };
      results.append(index, { ...output });
      await accounting.record({
        time: new Date().toISOString(),
        provider: resolved.provider,
        model: resolved.modelId,
        usage,
        costUsd,
        durationMs: 0,
        ttftMs: undefined,
        status: 'ok',
        source: { kind: 'batch', id: meta.id, step: String(id) },
        ...(meta.routed ? { routed: meta.routed } : {}),
      });
    }
  } finally {
    results.close();
  }
  const skipped = meta.failed;
  Object.assign(meta, { state: 'done', ok, failed: skipped + failed + Math.max(0, meta.total - skipped - ok - failed), cost_usd: cost });
  vendor.status = job.vendorStatus;
  await saveMeta(directory, meta);
  note(`batch ${meta.id}: ${ok} ok, ${meta.failed} failed, ${formatUsd(cost)} at batch prices`);
}

export async function cancelBatch(id: string): Promise<void> {
  const { meta, directory } = await readMeta(getConfig().paths.dataDir, id);
  const vendor = vendorOf(meta);
  const { batch } = await batchModel(`${vendor.provider}:${vendor.model}`);
  const job = await batch.cancel(vendor.batch_id);
  vendor.status = job.vendorStatus;
  meta.state = STATES[job.state];
  await saveMeta(directory, meta);
  process.stdout.write(`${describeMeta(meta)}\n`);
}
