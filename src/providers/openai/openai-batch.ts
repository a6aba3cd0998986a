/**
 * OpenAI batches: the requests go up as one JSONL file (`purpose: batch`) of chat-completions
 * bodies, built exactly as a single request would be; the batch runs within 24 h at half price;
 * its results come back as the output file (and the error file, for requests that failed).
 */
import type OpenAI from 'openai';
import type { BatchApi, BatchRequestItem, BatchResultItem, CallOptions, ProviderSettings } from '../spec.js';
import { mapOpenAIBatch, mapOpenAIBatchLine, type OpenAIWireBatch } from './map-openai-batch.js';
import { toProviderError, type OpenAIErrorContext } from './openai-error.js';
import { prepareOpenAIRequest } from './prepare-openai-request.js';

const ENDPOINT = '/v1/chat/completions';

export function createOpenAIBatch(
  settings: ProviderSettings,
  getClient: () => Promise<OpenAI>,
  context: () => OpenAIErrorContext,
): BatchApi {
  const call = async <T>(work: (client: OpenAI) => Promise<T>): Promise<T> => {
    try {
      return await work(await getClient());
    } catch (error) {
      throw toProviderError(error, context());
    }
  };
  const requestOptions = (options: CallOptions) => (options.signal ? { signal: options.signal } : {});
  return {
    submit: (items: AsyncIterable<BatchRequestItem>, options: CallOptions = {}) =>
      call(async (client) => {
        const { toStreamingFile } = await import('openai');
        // Streamed into the upload: a 100,000-line batch never sits in memory as one file.
        const file = await client.files.create(
          { file: toStreamingFile(uploadLines(items, settings), 'llmo-batch.jsonl'), purpose: 'batch' },
          requestOptions(options),
        );
        const batch = await client.batches.create(
          { input_file_id: file.id, endpoint: ENDPOINT, completion_window: '24h' },
          requestOptions(options),
        );
        return mapOpenAIBatch(batch as OpenAIWireBatch);
      }),
    status: (id, options = {}) =>
      call(async (client) => mapOpenAIBatch((await client.batches.retrieve(id, requestOptions(options))) as OpenAIWireBatch)),
    cancel: (id, options = {}) =>
      call(async (client) => mapOpenAIBatch((await client.batches.cancel(id, requestOptions(options))) as OpenAIWireBatch)),
    async *results(id, options = {}): AsyncIterable<BatchResultItem> {
      const batch = await call(async (client) => (await client.batches.retrieve(id, requestOptions(options))) as OpenAIWireBatch);
      for (const fileId of [batch.output_file_id, batch.error_file_id]) {
        if (!fileId) continue;
        const text = await call(async (client) => (await client.files.content(fileId, requestOptions(options))).text());
        for (const line of text.split('\n')) {
          const item = mapOpenAIBatchLine(line);
          if (item) yield item;
        }
      }
    },
  };
}

/** The upload file's JSONL, in chunks of about 64 KiB. */
async function* uploadLines(items: AsyncIterable<BatchRequestItem>, settings: ProviderSettings): AsyncGenerator<string> {
  let chunk = '';
  for await (const { customId, request } of items) {
    chunk += `${JSON.stringify({ custom_id: customId, method: 'POST', url: ENDPOINT, body: prepareOpenAIRequest(request, settings).body })}\n`;
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
