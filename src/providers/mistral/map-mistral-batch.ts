/**
 * Mistral batch jobs in llmo's words: the job's status and request counts become a BatchJob; with
 * `inline=true` the finished job carries `outputs`, one `{custom_id, response: {status_code,
 * body}, error}` per request, the body a chat completion on the wire (snake_case).
 */
import type { BatchJob as MistralBatchJob } from '@mistralai/mistralai/models/components/batchjob.js';
import type { BatchJob } from '../spec.js';

const STATES: Record<string, BatchJob['state']> = {
  QUEUED: 'running',
  RUNNING: 'running',
  SUCCESS: 'ended',
  FAILED: 'failed',
  TIMEOUT_EXCEEDED: 'expired',
  CANCELLATION_REQUESTED: 'cancelling',
  CANCELLED: 'cancelled',
};

export function mapMistralBatch(job: MistralBatchJob): BatchJob {
  return {
    id: job.id,
    state: STATES[job.status] ?? 'running',
    vendorStatus: job.status,
    counts: { total: job.totalRequests, succeeded: job.succeededRequests, failed: job.failedRequests },
  };
}

export interface MistralWireBatchOutput {
  custom_id: string;
  response?: { status_code: number; body?: unknown } | null;
  error?: { message?: string } | string | null;
}

/** Why an output carries no completion; undefined when it does. */
export function mistralBatchFailure(output: MistralWireBatchOutput): string | undefined {
  if (output.error) return typeof output.error === 'string' ? output.error : (output.error.message ?? 'failed');
  if (output.response?.status_code !== 200) {
    const said = (output.response?.body as { message?: string } | undefined)?.message;
    return `HTTP ${output.response?.status_code ?? '?'}${said ? `: ${said}` : ''}`;
  }
  return undefined;
}
