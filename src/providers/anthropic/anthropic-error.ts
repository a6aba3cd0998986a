// The SDK's error classes live in a small module of their own; importing them here does not load
// the whole SDK (which anthropic-model.ts imports lazily, on the first request).
import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk/core/error';
import {
  connectionError,
  httpProviderError,
  type ProviderErrorKind,
  streamCutError,
  timeoutError,
  unexpectedError,
} from '../provider-errors.js';
import { ProviderError, type ProviderUnavailableError } from '../spec.js';

export interface AnthropicErrorContext {
  /** The configured provider name, used in messages. */
  provider: string;
  /** Cut out of any text that echoes it (defence in depth: Anthropic masks keys itself). */
  apiKey?: string | undefined;
  /** The per-request timeout in force, named in the timeout message. */
  timeoutMs?: number | undefined;
  /** The request id from the response headers, when the caller already has it. */
  requestId?: string | undefined;
  /** Whether the response had already started streaming when the failure happened. */
  midStream?: boolean | undefined;
}

/** The shape of Anthropic's error body: `{"type":"error","error":{"type","message"},"request_id"}`. */
interface AnthropicErrorBody {
  error?: { type?: unknown; message?: unknown };
  request_id?: unknown;
}

/**
 * Any failure of an Anthropic call as a spec ProviderError carrying Anthropic's own message and the
 * request id (header `request-id`, else the body's `request_id`), never the API key. The caller
 * handles its own aborts first. What is Anthropic's own here: where its body keeps the message,
 * what its error types mean inside a stream, and its `x-should-retry` header.
 *
 * No error keeps the SDK's error as its `cause`: that holds the raw body (and, for a refused
 * header, fetch's message quoting it), which `util.inspect` would print.
 */
export function mapAnthropicError(error: unknown, context: AnthropicErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const { provider, apiKey } = context;
  // The timeout class extends the connection class, so it is checked first.
  if (error instanceof APIConnectionTimeoutError) return timeoutError(provider, context.timeoutMs);
  // The SDK's own "Connection error." says nothing; what fetch said underneath does.
  if (error instanceof APIConnectionError) return connectionError(provider, error.cause ?? error, { apiKey });
  if (!(error instanceof APIError)) return unexpectedError(provider, error, apiKey);

  const body = (typeof error.error === 'object' && error.error !== null ? error.error : {}) as AnthropicErrorBody;
  const status = error.status;
  const type = error.type ?? stringOrUndefined(body.error?.type);
  // Anthropic says when a retry cannot help (a request too large, some 500s): believe it.
  const final = error.headers?.get('x-should-retry') === 'false';
  return httpProviderError({
    provider,
    status,
    // An error event inside a 200 stream has no status of its own: its `error.type` decides.
    kind: status === undefined ? kindOfErrorType(type) : undefined,
    said: stringOrUndefined(body.error?.message) ?? messageWithoutStatus(error.message, status),
    requestId: error.requestID ?? stringOrUndefined(body.request_id) ?? context.requestId,
    headers: error.headers,
    retryable: final ? false : undefined,
    apiKey,
    midStream: context.midStream,
  });
}

/** A stream that broke off, or ended without `message_stop`, after it had started. */
export function streamCutOffError(
  provider: string,
  requestId: string | undefined,
  cause?: unknown,
  apiKey?: string,
): ProviderUnavailableError {
  return streamCutError({ provider, requestId, cause, apiKey });
}

function kindOfErrorType(type: string | null | undefined): ProviderErrorKind {
  switch (type) {
    case 'authentication_error':
    case 'permission_error':
      return 'auth';
    case 'rate_limit_error':
      return 'rate-limit';
    case 'overloaded_error':
    case 'api_error':
    case 'timeout_error':
      return 'unavailable';
    case 'invalid_request_error':
    case 'not_found_error':
    case 'request_too_large':
      return 'bad-request';
    default:
      return 'other';
  }
}

/** The SDK prefixes the status (`503 upstream connect error…`) when the body is not JSON. */
function messageWithoutStatus(message: string, status: number | undefined): string {
  return status !== undefined && message.startsWith(`${status} `) ? message.slice(`${status} `.length) : message;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
