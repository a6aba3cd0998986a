/** Gemini batch mode (`batchGenerateContent`) with inlined requests: the answers come back inline too. */
import type { InlinedRequest } from '@google/genai';
import type { GoogleGenAI } from '@google/genai/web';
import type { BatchApi, BatchResultItem, CallOptions } from '../spec.js';
import { createToolNameCodec } from '../tool-names.js';
import { mapGeminiBatch } from './map-gemini-batch.js';
import { mapGeminiResponse } from './map-gemini-response.js';
import { type GeminiRequestTarget, prepareGeminiRequest } from './prepare-gemini-request.js';

/** A non-streaming call with the model's client, its abort handling and its error mapping. */
export type GeminiCall = <T>(signal: AbortSignal | undefined, send: (client: GoogleGenAI, signal: AbortSignal) => Promise<T>) => Promise<T>;

export function createGeminiBatch(target: GeminiRequestTarget, call: GeminiCall): BatchApi {
  async function* results(id: string, options: CallOptions): AsyncIterable<BatchResultItem> {
    const job = await call(options.signal, (client) => client.batches.get({ name: id }));
    const codec = createToolNameCodec([]);
    for (const [index, answer] of (job.dest?.inlinedResponses ?? []).entries()) {
      // Answers come in the order of the requests; metadata carries the id back as well.
      const customId = answer.metadata?.custom_id ?? String(index);
      if (answer.response)
        yield {
          customId,
          type: 'ok',
          result: { ...mapGeminiResponse(answer.response, codec, [], target.provider), requestId: answer.response.responseId },
        };
      else yield { customId, type: 'error', error: answer.error?.message ?? 'no answer' };
    }
  }

  return {
    submit: (items, options = {}) =>
      call(options.signal, async (client) => {
        // Inlined requests go in one JSON body.
        const src: InlinedRequest[] = [];
        for await (const { customId, request } of items) {
          const { parameters } = prepareGeminiRequest(target, request);
          src.push({
            contents: parameters.contents,
            ...(parameters.config ? { config: parameters.config } : {}),
            metadata: { custom_id: customId },
          });
        }
        return mapGeminiBatch(await client.batches.create({ model: target.modelId, src, config: { displayName: `llmo-${Date.now()}` } }));
      }),
    status: (id, options = {}) => call(options.signal, async (client) => mapGeminiBatch(await client.batches.get({ name: id }))),
    cancel: (id, options = {}) =>
      call(options.signal, async (client) => {
        await client.batches.cancel({ name: id });
        return mapGeminiBatch(await client.batches.get({ name: id }));
      }),
    results: (id, options = {}) => results(id, options),
  };
}
