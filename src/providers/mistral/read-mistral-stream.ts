import type { CompletionEvent } from '@mistralai/mistralai/models/components/completionevent.js';
import { abortErrorFor, type StreamPart, type Usage } from '../spec.js';
import type { ToolNameCodec } from '../tool-names.js';
import { MistralToolCallAssembler, ToolArgumentsError } from './assemble-mistral-tool-calls.js';
import { extractMistralContent } from './extract-mistral-content.js';
import { mapMistralFinishReason } from './map-mistral-finish-reason.js';
import { mapMistralUsage } from './map-mistral-usage.js';
import { type MistralErrorContext, mapMistralStreamError, streamCutOffError, toolArgumentsProviderError } from './mistral-error.js';

/** The body of an open stream → content and tool-call parts, then one finish or error part. */
export async function* readMistralStream(
  events: AsyncIterable<CompletionEvent>,
  callerSignal: AbortSignal | undefined,
  context: MistralErrorContext,
  toolNames: ToolNameCodec,
): AsyncIterable<StreamPart> {
  let finishReason: string | undefined;
  let usage: Usage | undefined;
  let responseModel: string | undefined;
  const toolCalls = new MistralToolCallAssembler(toolNames);
  try {
    for await (const { data: chunk } of events) {
      responseModel ??= chunk.model;
      // Mistral sends usage once, with finish_reason, on the last content chunk.
      if (chunk.usage) usage = mapMistralUsage(chunk.usage);
      for (const choice of chunk.choices) {
        if (choice.index !== 0) continue;
        yield* extractMistralContent(choice.delta.content);
        for (const toolCall of choice.delta.toolCalls ?? []) yield* toolCalls.push(toolCall);
        if (choice.finishReason != null) finishReason = choice.finishReason;
      }
    }
  } catch (error) {
    if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
    const mapped = error instanceof ToolArgumentsError ? toolArgumentsProviderError(error, context) : mapMistralStreamError(error, context);
    yield { type: 'error', error: mapped };
    return;
  }
  // Should the SDK ever end an aborted stream quietly, it is still the caller's abort.
  if (callerSignal?.aborted) throw abortErrorFor(callerSignal);
  // `[DONE]` and a clean close look alike through the SDK; only finish_reason proves the answer ended.
  if (finishReason === undefined) {
    yield { type: 'error', error: streamCutOffError(context) };
    return;
  }
  let lastCall: StreamPart[];
  try {
    lastCall = toolCalls.finish();
  } catch (error) {
    if (!(error instanceof ToolArgumentsError)) throw error;
    yield { type: 'error', error: toolArgumentsProviderError(error, context) };
    return;
  }
  yield* lastCall;
  yield { type: 'finish', finishReason: mapMistralFinishReason(finishReason), usage, responseModel, requestId: context.requestId };
}
