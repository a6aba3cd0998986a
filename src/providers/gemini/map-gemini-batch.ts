/**
 * A Gemini batch job (as the SDK reads `batches/…` operations) in llmo's words. The SDK turns the
 * wire's BATCH_STATE_* into JOB_STATE_*; both spellings are read. It drops `batchStats`, so the
 * counts come from the inlined answers once there are any.
 */
import type { BatchJob as GeminiBatchJob } from '@google/genai';
import type { BatchJob } from '../spec.js';

const STATES: Record<string, BatchJob['state']> = {
  PENDING: 'running',
  QUEUED: 'running',
  RUNNING: 'running',
  SUCCEEDED: 'ended',
  PARTIALLY_SUCCEEDED: 'ended',
  FAILED: 'failed',
  CANCELLING: 'cancelling',
  CANCELLED: 'cancelled',
  EXPIRED: 'expired',
};

export function mapGeminiBatch(job: GeminiBatchJob): BatchJob {
  const status = String(job.state ?? 'JOB_STATE_PENDING');
  const answers = job.dest?.inlinedResponses ?? [];
  const failed = answers.filter((answer) => !answer.response).length;
  return {
    id: job.name ?? '',
    state: STATES[status.replace(/^(JOB|BATCH)_STATE_/, '')] ?? 'running',
    vendorStatus: status,
    counts: { total: answers.length, succeeded: answers.length - failed, failed },
  };
}
