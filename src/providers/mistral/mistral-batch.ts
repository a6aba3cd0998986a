/**
 * Mistral batch jobs with the requests inlined (no file upload), results read inline from the job.
 * Each request's body is built exactly as a single request would be.
 */
import type { MistralCore } from '@mistralai/mistralai/core.js';
import type { BatchJob as MistralBatchJob } from '@mistralai/mistralai/models/components/batchjob.js';
import { abortErrorFor, type BatchApi, type BatchJob, type BatchResultItem, type CallOptions, type ProviderSettings } from '../spec.js';
import { createToolNameCodec } from '../tool-names.js';
import { loadCore } from './load-mistral-sdk.js';
import { mapMistralBatch, mistralBatchFailure, type MistralWireBatchOutput } from './map-mistral-batch.js';
import { mapMistralCompletion } from './map-mistral-completion.js';
import { CallSignal, mistralErrorContext, mistralRequestOptions, mistralRequestTarget } from './mistral-client.js';
import { mapMistralError } from './mistral-error.js';
import { prepareMistralRequest } from './prepare-mistral-request.js';

type SendBatchCall = (
  core: MistralCore,
  signal: AbortSignal,
) => Promise<{ ok: true; value: MistralBatchJob } | { ok: false; error: unknown }>;

/** `clientFor` builds (once) the model's client from the SDK class, so batch calls share it. */
export function createMistralBatch(settings: ProviderSettings, clientFor: (Core: typeof MistralCore) => MistralCore): BatchApi {
  const requestOptions = (signal: AbortSignal) => mistralRequestOptions(settings, signal);

  const batchJob = async (options: CallOptions, send: SendBatchCall): Promise<MistralBatchJob> => {
    const callerSignal = options.signal;
    if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
    const Core = await loadCore();
    const call = new CallSignal(callerSignal);
    try {
      const result = await send(clientFor(Core), call.signal);
      if (!result.ok) throw result.error;
      return result.value;
    } catch (error) {
      if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
      throw mapMistralError(error, mistralErrorContext(settings));
    } finally {
      call.dispose();
    }
  };

  const batchCall = async (options: CallOptions, send: SendBatchCall): Promise<BatchJob> => mapMistralBatch(await batchJob(options, send));

  async function* results(id: string, options: CallOptions): AsyncIterable<BatchResultItem> {
    const job = await batchJob(options, async (core, signal) => {
      const { batchJobsGet } = await import('@mistralai/mistralai/funcs/batchJobsGet.js');
      return batchJobsGet(core, { jobId: id, inline: true }, requestOptions(signal));
    });
    const { chatCompletionResponseFromJSON } = await import('@mistralai/mistralai/models/components/chatcompletionresponse.js');
    const context = mistralErrorContext(settings);
    for (const output of (job.outputs ?? []) as MistralWireBatchOutput[]) {
      const customId = String(output.custom_id);
      const failure = mistralBatchFailure(output);
      if (failure !== undefined) {
        yield { customId, type: 'error', error: failure };
        continue;
      }
      const parsed = chatCompletionResponseFromJSON(JSON.stringify(output.response?.body));
      if (!parsed.ok) yield { customId, type: 'error', error: 'the answer is not a chat completion' };
      else yield { customId, type: 'ok', result: mapMistralCompletion(parsed.value, context, createToolNameCodec([])) };
    }
  }

  return {
    submit: (items, options = {}) =>
      batchCall(options, async (core, signal) => {
        const [{ batchJobsCreate }, { chatCompletionRequestToJSON }] = await Promise.all([
          import('@mistralai/mistralai/funcs/batchJobsCreate.js'),
          import('@mistralai/mistralai/models/components/chatcompletionrequest.js'),
        ]);
        // Inline requests go in one JSON body.
        const requests: Array<{ customId: string; body: Record<string, unknown> }> = [];
        for await (const { customId, request } of items) {
          // The body goes out as it is: in the wire's snake_case, as the SDK would send it alone.
          const {
            model: _model,
            stream: _stream,
            ...body
          } = JSON.parse(chatCompletionRequestToJSON(prepareMistralRequest(mistralRequestTarget(settings), request).body)) as Record<
            string,
            unknown
          >;
          requests.push({ customId, body });
        }
        return batchJobsCreate(core, { endpoint: '/v1/chat/completions', model: settings.modelId, requests }, requestOptions(signal));
      }),
    status: (id, options = {}) =>
      batchCall(options, async (core, signal) => {
        const { batchJobsGet } = await import('@mistralai/mistralai/funcs/batchJobsGet.js');
        return batchJobsGet(core, { jobId: id }, requestOptions(signal));
      }),
    cancel: (id, options = {}) =>
      batchCall(options, async (core, signal) => {
        const { batchJobsCancel } = await import('@mistralai/mistralai/funcs/batchJobsCancel.js');
        return batchJobsCancel(core, { jobId: id }, requestOptions(signal));
      }),
    results: (id, options = {}) => results(id, options),
  };
}
