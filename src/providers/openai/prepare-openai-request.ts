import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { ModelRequest } from '../spec.js';
import { convertToOpenAIMessages } from './convert-to-openai-messages.js';

/** The request body without `stream`/`stream_options`, which each endpoint call adds. */
export type OpenAIRequestBody = Omit<ChatCompletionCreateParamsBase, 'stream' | 'stream_options'>;

export interface PreparedOpenAIRequest {
  body: OpenAIRequestBody;
  /** Settings that could not be honoured as given; they become `warning` stream parts. */
  warnings: string[];
}

/** OpenAI accepts at most four stop sequences. */
const OPENAI_MAX_STOP_SEQUENCES = 4;

/** Body fields llmo itself owns; providerOptions may not replace them. */
const RESERVED_FIELDS = new Set(['model', 'messages', 'stream', 'stream_options']);

/**
 * OpenAI's reasoning models (o1, o3, o4-mini, gpt-5…, but not the gpt-5-chat models) reject any
 * temperature other than the default with a 400.
 */
export function isOpenAIReasoningModel(modelId: string): boolean {
  return /^o\d/.test(modelId) || (modelId.startsWith('gpt-5') && !modelId.startsWith('gpt-5-chat'));
}

function optionsFor(request: ModelRequest, key: string): Record<string, unknown> {
  const options = request.providerOptions?.[key];
  return options !== null && typeof options === 'object' && !Array.isArray(options) ? options : {};
}

/**
 * Builds the chat-completions body for a request.
 *
 * - Max tokens go out as `max_completion_tokens` to OpenAI (its reasoning models reject
 *   `max_tokens`) and as `max_tokens` to everyone else, since most compatible servers know only that.
 * - Vendor-only fields come from `providerOptions.openai` and then `providerOptions[<provider>]`
 *   (e.g. `deepseek: { thinking: { type: 'enabled' } }`) and are sent as they are.
 */
export function prepareOpenAIRequest(request: ModelRequest, settings: { provider: string; modelId: string }): PreparedOpenAIRequest {
  const { provider, modelId } = settings;
  const isOpenAI = provider === 'openai';
  const warnings: string[] = [];
  const body: OpenAIRequestBody = { model: modelId, messages: convertToOpenAIMessages(request.messages) };

  if (request.maxTokens !== undefined) {
    if (isOpenAI) body.max_completion_tokens = request.maxTokens;
    else body.max_tokens = request.maxTokens;
  }

  if (request.temperature !== undefined) {
    if (isOpenAI && isOpenAIReasoningModel(modelId) && request.temperature !== 1) {
      warnings.push(`${provider}: ${modelId} does not support temperature; it was ignored`);
    } else {
      body.temperature = request.temperature;
    }
  }

  if (request.stop !== undefined && request.stop.length > 0) {
    if (isOpenAI && request.stop.length > OPENAI_MAX_STOP_SEQUENCES) {
      warnings.push(
        `${provider}: accepts at most ${OPENAI_MAX_STOP_SEQUENCES} stop sequences; only the first ${OPENAI_MAX_STOP_SEQUENCES} were sent`,
      );
      body.stop = request.stop.slice(0, OPENAI_MAX_STOP_SEQUENCES);
    } else {
      body.stop = [...request.stop];
    }
  }

  const extra = { ...optionsFor(request, 'openai'), ...(isOpenAI ? {} : optionsFor(request, provider)) };
  for (const [field, value] of Object.entries(extra)) {
    if (RESERVED_FIELDS.has(field)) {
      warnings.push(`${provider}: providerOptions cannot set \`${field}\`; it was ignored`);
      continue;
    }
    (body as unknown as Record<string, unknown>)[field] = value;
  }

  return { body, warnings };
}
