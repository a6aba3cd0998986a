import type Anthropic from '@anthropic-ai/sdk';
import type { ModelRequest } from '../spec.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';

/** Anthropic requires `max_tokens`; this is what a request without one asks for. */
export const DEFAULT_MAX_TOKENS = 4096;

export type AnthropicRequestParams = Omit<Anthropic.MessageCreateParamsNonStreaming, 'stream'>;

/**
 * A spec request as the body of `POST /v1/messages` (without `stream`), plus a warning for each
 * setting Anthropic can't honour. `providerOptions.anthropic` adds vendor-only fields (`thinking`,
 * `metadata`, `service_tier`…) as they are; the fields llmo sets itself take precedence over them.
 */
export function prepareAnthropicRequest(modelId: string, request: ModelRequest): { params: AnthropicRequestParams; warnings: string[] } {
  const warnings: string[] = [];
  // The SDK (API version 2026-10-21) no longer has sampling parameters, and the API rejects them.
  if (request.temperature !== undefined) {
    warnings.push('anthropic: temperature is not supported by the Anthropic API and was ignored');
  }

  const { system, messages } = convertToAnthropicMessages(request.messages);
  const vendorOptions = (request.providerOptions?.anthropic ?? {}) as Partial<AnthropicRequestParams>;
  const params: AnthropicRequestParams = {
    ...vendorOptions,
    model: modelId,
    max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    messages,
  };
  if (system !== undefined) params.system = system;
  if (request.stop && request.stop.length > 0) params.stop_sequences = request.stop;
  return { params, warnings };
}
