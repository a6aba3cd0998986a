/** What a model answers: stream parts, the collected result, usage, finish reasons and warnings. */
import type { ToolCall } from './messages.js';
import { type ProviderError, ProviderUnavailableError } from './provider-error.js';

export type FinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other';

export interface Usage {
  /** All prompt tokens, cached ones included. */
  inputTokens: number;
  outputTokens: number;
  /** Prompt tokens served from the vendor's cache (a subset of inputTokens), where reported. */
  cachedInputTokens?: number | undefined;
  /** Prompt tokens written to the vendor's cache (Anthropic), where reported. */
  cacheWriteTokens?: number | undefined;
  /** Reasoning/thinking tokens (a subset of outputTokens), where reported. */
  reasoningTokens?: number | undefined;
}

export type StreamPart =
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  /** A tool call began; its arguments follow as `tool-call-delta` parts (or not at all). */
  | { type: 'tool-call-start'; id: string; name: string }
  | { type: 'tool-call-delta'; id: string; argumentsDelta: string }
  /** The finished call, arguments parsed. Always sent, whether or not start/delta parts came first. */
  | { type: 'tool-call'; toolCall: ToolCall }
  | { type: 'warning'; warning: ProviderWarning }
  | {
      type: 'finish';
      finishReason: FinishReason;
      /** Undefined when the vendor sent no usage (e.g. a server that ignores include_usage). */
      usage: Usage | undefined;
      /** The model id the vendor says answered (may differ from the one asked for). */
      responseModel?: string | undefined;
      requestId?: string | undefined;
    }
  | { type: 'error'; error: ProviderError };

/**
 * A setting the vendor could not honour, as data: surfaces word it with `describeWarning`.
 * `provider` is the provider's name as the user configured it.
 */
export type ProviderWarning =
  | { type: 'unsupported'; provider: string; feature: string; details?: string }
  | { type: 'other'; provider: string; message: string };

/** One line for a person: `<provider>: <feature> is not supported …: <details>`. */
export function describeWarning(warning: ProviderWarning): string {
  if (warning.type === 'other')
    return warning.message.startsWith(`${warning.provider}:`) ? warning.message : `${warning.provider}: ${warning.message}`;
  return `${warning.provider}: ${warning.feature} is not supported${warning.details ? `: ${warning.details}` : ''}`;
}

export interface GenerateResult {
  text: string;
  reasoning: string;
  /** The calls the model asked for, in order (finishReason is then `tool-calls`). */
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage | undefined;
  responseModel?: string | undefined;
  requestId?: string | undefined;
  warnings: ProviderWarning[];
}

/**
 * Drains a stream into one result. Throws the stream's `error` part, so callers that want the
 * partial text must consume the stream themselves.
 */
export async function collectStream(parts: AsyncIterable<StreamPart>): Promise<GenerateResult> {
  const text: string[] = [];
  const reasoning: string[] = [];
  const warnings: ProviderWarning[] = [];
  const toolCalls: ToolCall[] = [];
  for await (const part of parts) {
    switch (part.type) {
      case 'text-delta':
        text.push(part.text);
        break;
      case 'reasoning-delta':
        reasoning.push(part.text);
        break;
      case 'tool-call':
        toolCalls.push(part.toolCall);
        break;
      case 'tool-call-start':
      case 'tool-call-delta':
        break;
      case 'warning':
        warnings.push(part.warning);
        break;
      case 'error':
        throw part.error;
      case 'finish':
        return {
          text: text.join(''),
          reasoning: reasoning.join(''),
          toolCalls,
          finishReason: part.finishReason,
          usage: part.usage,
          responseModel: part.responseModel,
          requestId: part.requestId,
          warnings,
        };
    }
  }
  throw new ProviderUnavailableError('the response ended before it finished', { provider: 'unknown' });
}
