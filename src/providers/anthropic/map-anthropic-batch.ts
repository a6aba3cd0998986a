/**
 * Anthropic's Message Batches in llmo's words: `processing_status` and `request_counts` become a
 * BatchJob; each results line is `succeeded` (a message), `errored`, `canceled` or `expired`.
 */
import type { BatchJob } from '../spec.js';

export interface AnthropicWireBatch {
  id: string;
  processing_status: string;
  cancel_initiated_at?: string | null;
  request_counts: { processing: number; succeeded: number; errored: number; canceled: number; expired: number };
}

export function mapAnthropicBatch(batch: AnthropicWireBatch): BatchJob {
  const counts = batch.request_counts;
  const total = counts.processing + counts.succeeded + counts.errored + counts.canceled + counts.expired;
  const state: BatchJob['state'] =
    batch.processing_status === 'ended'
      ? batch.cancel_initiated_at
        ? 'cancelled'
        : 'ended'
      : batch.processing_status === 'canceling'
        ? 'cancelling'
        : 'running';
  return {
    id: batch.id,
    state,
    vendorStatus: batch.processing_status,
    counts: { total, succeeded: counts.succeeded, failed: counts.errored + counts.canceled + counts.expired },
  };
}

/** Why a results line carries no message. */
export function anthropicBatchFailure(result: { type: string; error?: unknown }): string {
  if (result.type === 'canceled') return 'cancelled before it ran';
  if (result.type === 'expired') return 'expired: the batch ended before this request ran';
  const inner = (result.error as { error?: { message?: string; type?: string } } | undefined)?.error;
  return inner?.message ?? inner?.type ?? result.type;
}
