import type { BatchMeta } from '../../batch/batch-journal.js';
import { UsageError } from '../../errors.js';
import type { BatchIdOptions, BatchRunOptions } from './batch-command.js';

export function vendorModeFits(_options: BatchRunOptions): boolean {
  return false;
}
export async function submitBatch(_input: string, _options: BatchRunOptions): Promise<void> {
  throw new UsageError('vendor mode is not available yet');
}
export async function refreshVendorBatch(_id: string): Promise<BatchMeta> {
  throw new UsageError('vendor mode is not available yet');
}
export async function waitBatch(_id: string, _options: BatchIdOptions): Promise<void> {
  throw new UsageError('vendor mode is not available yet');
}
export async function batchResults(_id: string, _options: BatchIdOptions): Promise<void> {
  throw new UsageError('vendor mode is not available yet');
}
export async function cancelBatch(_id: string): Promise<void> {
  throw new UsageError('vendor mode is not available yet');
}
