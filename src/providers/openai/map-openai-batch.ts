/**
 * OpenAI's Batches API in llmo's words: the batch object's status and request_counts become a
 * BatchJob, and each line of the output file (`{custom_id, response: {status_code, body}, error}`)
 * a result, its body read as the chat completion it is.
 */
import type { BatchJob, BatchResultItem } from '../spec.js';
import { mapOpenAICompletion, type OpenAIWireCompletion } from './map-openai-completion.js';

export interface OpenAIWireBatch {
  id: string;
  status: string;
  output_file_id?: string | null;
  error_file_id?: string | null;
  request_counts?: { total: number; completed: number; failed: number } | null;
}

const STATES: Record<string, BatchJob['state']> = {
  validating: 'running',
  in_progress: 'running',
  finalizing: 'running',
  completed: 'ended',
  failed: 'failed',
  expired: 'expired',
  cancelling: 'cancelling',
  cancelled: 'cancelled',
};

export function mapOpenAIBatch(batch: OpenAIWireBatch): BatchJob {
  const counts = batch.request_counts ?? { total: 0, completed: 0, failed: 0 };
  return {
    id: batch.id,
    state: STATES[batch.status] ?? 'running',
    vendorStatus: batch.status,
    counts: { total: counts.total, succeeded: counts.completed, failed: counts.failed },
  };
}

interface OpenAIWireBatchLine {
  custom_id: string;
  response?: { status_code: number; request_id?: string; body?: unknown } | null;
  error?: { code?: string; message?: string } | null;
}

/** One line of an output or error file. */
export function mapOpenAIBatchLine(text: string): BatchResultItem | undefined {
  if (text.trim() === '') return undefined;
  const line = JSON.parse(text) as OpenAIWireBatchLine;
  const customId = line.custom_id;
  if (line.error) return { customId, type: 'error', error: line.error.message ?? line.error.code ?? 'failed' };
  const response = line.response;
  if (response?.status_code !== 200) {
    const said = (response?.body as { error?: { message?: string } } | undefined)?.error?.message;
    return { customId, type: 'error', error: `HTTP ${response?.status_code ?? '?'}${said ? `: ${said}` : ''}` };
  }
  const result = mapOpenAICompletion(response.body as OpenAIWireCompletion);
  if (!result) return { customId, type: 'error', error: 'the completion had no choices' };
  return { customId, type: 'ok', result: { ...result, requestId: response.request_id } };
}
