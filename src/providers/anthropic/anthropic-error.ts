// The SDK's error classes live in a small module of their own; importing them here does not load
// the whole SDK (which anthropic-model.ts imports lazily, on the first request).
import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk/core/error';
import {
  BadRequestError,
  formatProviderMessage,
  providerAuthHint,
  ProviderAuthError,
  ProviderError,
  type ProviderErrorOptions,
  ProviderUnavailableError,
  RateLimitError,
  redactSecret,
} from '../spec.js';

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

const MODEL_HINT = { hint: 'check the model name; `llmo models` lists the configured ones' };

type ErrorKind = 'auth' | 'rate-limit' | 'unavailable' | 'bad-request' | 'other';

/**
 * Any failure of an Anthropic call as a spec ProviderError carrying Anthropic's own message and the
 * request id (header `request-id`, else the body's `request_id`), never the API key. The caller
 * handles its own aborts first.
 *
 * Messages read `<provider>: <what happened>: <Anthropic's words> (HTTP n, request id …)`, the
 * shape every adapter uses. No error keeps the SDK's error as its `cause`: that holds the raw
 * body (and, for a refused header, fetch's message quoting it), which `util.inspect` would print.
 */
export function mapAnthropicError(error: unknown, context: AnthropicErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const { provider, apiKey } = context;

  // The timeout class extends the connection class, so it is checked first.
  if (error instanceof APIConnectionTimeoutError) {
    const what = context.timeoutMs === undefined ? 'no answer (timed out)' : `no answer within ${formatMilliseconds(context.timeoutMs)}`;
    return new ProviderUnavailableError(formatProviderMessage({ provider, what }), { provider });
  }
  if (error instanceof APIConnectionError) {
    // The SDK's own "Connection error." says nothing; what fetch said underneath does.
    const said = describe(error.cause ?? error);
    return new ProviderUnavailableError(formatProviderMessage({ provider, what: 'could not connect', said, apiKey }), {
      provider,
      hint: 'check the network and the base URL',
    });
  }
  if (!(error instanceof APIError)) {
    return new ProviderError(formatProviderMessage({ provider, what: 'unexpected failure', said: describe(error), apiKey }), { provider });
  }

  const body = (typeof error.error === 'object' && error.error !== null ? error.error : {}) as AnthropicErrorBody;
  const status = error.status;
  const type = error.type ?? stringOrUndefined(body.error?.type);
  const requestId = error.requestID ?? stringOrUndefined(body.request_id) ?? context.requestId;
  const said = stringOrUndefined(body.error?.message) ?? messageWithoutStatus(error.message, status);
  // Anthropic says when a retry cannot help (a request too large, some 500s): believe it.
  const final = error.headers?.get('x-should-retry') === 'false';
  const options: ProviderErrorOptions = { provider, status, requestId, ...(final ? { retryable: false } : {}) };
  const kind = classify(status, type);
  const message = formatProviderMessage({ provider, what: whatHappened(kind, context.midStream), said, status, requestId, apiKey });

  switch (kind) {
    case 'auth':
      return new ProviderAuthError(message, {
        ...options,
        hint: providerAuthHint(provider),
      });
    case 'rate-limit':
      return new RateLimitError(message, { ...options, retryAfterMs: parseRetryAfterMs(error.headers) });
    case 'unavailable':
      return new ProviderUnavailableError(message, options);
    case 'bad-request':
      return new BadRequestError(message, { ...options, ...(status === 404 ? MODEL_HINT : {}) });
    case 'other':
      return new ProviderError(message, options);
  }
}

function whatHappened(kind: ErrorKind, midStream: boolean | undefined): string {
  if (midStream) return 'failed mid-stream';
  switch (kind) {
    case 'auth':
      return 'API key rejected';
    case 'rate-limit':
      return 'rate limit reached';
    case 'unavailable':
      return 'server error';
    case 'bad-request':
      return 'request rejected';
    case 'other':
      return 'request failed';
  }
}

/** A stream that broke off, or ended without `message_stop`, after it had started. */
export function streamCutOffError(
  provider: string,
  requestId: string | undefined,
  cause?: unknown,
  apiKey?: string,
): ProviderUnavailableError {
  const said = cause === undefined ? undefined : describe(cause);
  return new ProviderUnavailableError(
    formatProviderMessage({ provider, what: 'the response was cut off mid-stream', said, requestId, apiKey }),
    {
      provider,
      requestId,
    },
  );
}

/** `300 s`, `1.5 s`, `250 ms`. */
function formatMilliseconds(milliseconds: number): string {
  return milliseconds < 1000 ? `${milliseconds} ms` : `${Number((milliseconds / 1000).toFixed(1))} s`;
}

/**
 * The HTTP status decides; an error event inside a 200 stream has no status of its own, so its
 * `error.type` decides instead.
 */
function classify(status: number | undefined, type: string | null | undefined): ErrorKind {
  if (status !== undefined) {
    if (status === 401 || status === 403) return 'auth';
    if (status === 429) return 'rate-limit';
    if (status === 408 || status >= 500) return 'unavailable';
    if (status === 400 || status === 404 || status === 413 || status === 422) return 'bad-request';
    return 'other';
  }
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

/**
 * How long the server asks us to wait: `retry-after-ms` (Anthropic's own, milliseconds), else the
 * standard `retry-after` in seconds or as an HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const milliseconds = headers?.get('retry-after-ms')?.trim();
  if (milliseconds && /^\d+(\.\d+)?$/.test(milliseconds)) return Number(milliseconds);

  const retryAfter = headers?.get('retry-after')?.trim();
  if (!retryAfter) return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Replaces every occurrence of the key (see spec's redactSecret). */
export function redactKey(text: string, apiKey: string | undefined): string {
  return redactSecret(text, apiKey);
}

/** The SDK prefixes the status (`503 upstream connect error…`) when the body is not JSON. */
function messageWithoutStatus(message: string, status: number | undefined): string {
  return status !== undefined && message.startsWith(`${status} `) ? message.slice(`${status} `.length) : message;
}

/**
 * The most useful line of a transport error: undici hides the socket's reason in `cause`
 * (`fetch failed` → `connect ECONNREFUSED 127.0.0.1:9`).
 */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let deepest = error;
  for (let depth = 0; depth < 5 && deepest.cause instanceof Error && deepest.cause.message; depth += 1) {
    deepest = deepest.cause;
  }
  return deepest === error ? error.message : `${error.message}: ${deepest.message}`;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
