/** `llmo batch status ID` and `llmo batch list`: what the journals say (vendor batches are polled first). */
import { type BatchMeta, listBatches, readMeta } from '../../batch/batch-journal.js';
import { formatUsd } from '../../usage/pricing.js';
import { getConfig } from '../context.js';
import type { BatchIdOptions } from './batch-command.js';

export function describeMeta(meta: BatchMeta): string {
  const where = meta.mode === 'vendor' && meta.vendor ? `vendor ${meta.vendor.provider} ${meta.vendor.batch_id}` : 'local';
  const done = meta.ok + meta.failed;
  return `${meta.id}  ${where}  ${meta.state}  ${done}/${meta.total} done, ${meta.failed} failed  ${formatUsd(meta.cost_usd)}  ${meta.model}`;
}

export async function batchStatus(id: string, options: BatchIdOptions): Promise<void> {
  const { dataDir } = getConfig().paths;
  let { meta } = await readMeta(dataDir, id);
  if (meta.mode === 'vendor' && isOpen(meta)) {
    const { refreshVendorBatch } = await import('./vendor-batch.js');
    ({ meta } = await refreshVendorBatch(id));
  }
  process.stdout.write(options.json ? `${JSON.stringify(meta, null, 2)}\n` : `${describeMeta(meta)}\n`);
}

export async function batchList(options: BatchIdOptions): Promise<void> {
  const metas = await listBatches(getConfig().paths.dataDir);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(metas, null, 2)}\n`);
    return;
  }
  for (const meta of metas) process.stdout.write(`${describeMeta(meta)}\n`);
}

export function isOpen(meta: BatchMeta): boolean {
  return meta.state === 'submitted' || meta.state === 'running' || meta.state === 'ended' || meta.state === 'cancelling';
}
