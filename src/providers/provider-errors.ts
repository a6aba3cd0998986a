/**
 * The one toolkit every adapter words its failures with, so that a failure reads the same whichever
 * vendor it came from: `<provider>: <what happened>: <vendor's words> (HTTP n, request id …)`.
 *
 * An adapter's own `*-error.ts` keeps only what is truly the vendor's: where its body carries the
 * message and the request id, and which of its error types mean what. Everything else — how a status
 * is classified, how long a 429 asks us to wait, how a timeout, a refused connection, a cut stream or
 * a missing key is worded — lives here, once.
 */
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
} from './spec.js';

/** What fetch's `Headers`, and every SDK's header bag, offer. */
export interface HeadersLike {
  get(name: string): string | null;
}

/** How llmo sorts a failed request; the HTTP status decides whenever there is one. */
export type ProviderErrorKind = 'auth' | 'rate-limit' | 'unavailable' | 'bad-request' | 'other';

/**
 * 401/403 the key; 429 the rate; 408, 409 (a lock timeout) and 5xx the server; 400, 404, 413 and 422
 * the request. Anything else (402, a 3xx a proxy made up) is just a failure, not worth retrying.
 */
export function kindOfStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate-limit';
  if (status === 408 || status === 409 || status >= 500) return 'unavailable';
  if (status === 400 || status === 404 || status === 413 || status === 422) return 'bad-request';
  return 'other';
}

const MODEL_HINT = 'check the model name; `llmo models` lists the configured ones';

export interface HttpFailure {
  /** The configured provider name. */
  provider: string;
  /** Undefined for an error that arrived inside a 200 stream: then `kind` must say what it was. */
  status: number | undefined;
  /** The kind the vendor's error type names, for failures without a status (or to override it). */
  kind?: ProviderErrorKind | undefined;
  /** The vendor's own words. */
  said?: string | undefined;
  requestId?: string | undefined;
  /** The response headers: retry-after and retry-after-ms are read from them. */
  headers?: HeadersLike | null | undefined;
  /** A wait the vendor gave in its body (Gemini's RetryInfo); wins over the headers. */
  retryAfterMs?: number | undefined;
  /** The vendor said whether a retry can help (Anthropic's x-should-retry, OpenAI's empty quota). */
  retryable?: boolean | undefined;
  /** Replaces llmo's words for what happened (`out of quota`). */
  what?: string | undefined;
  hint?: string | undefined;
  /** Cut out of the message wherever it appears. */
  apiKey?: string | undefined;
  /** Whether the response had already started streaming. */
  midStream?: boolean | undefined;
}

/** A failed HTTP exchange (or an error event inside a stream) as the right ProviderError. */
export function httpProviderError(failure: HttpFailure): ProviderError {
  const { provider, status, said, requestId, apiKey } = failure;
  const kind = failure.kind ?? (status === undefined ? 'unavailable' : kindOfStatus(status));
  const what = failure.what ?? whatHappened(kind, failure.midStream);
  const message = formatProviderMessage({ provider, what, said, status, requestId, apiKey });
  const options: ProviderErrorOptions = {
    provider,
    status,
    requestId,
    providerMessage: said === undefined ? undefined : redactSecret(said, apiKey),
    responseHeaders: failure.headers ?? undefined,
    ...(failure.retryable === undefined ? {} : { retryable: failure.retryable }),
  };
  switch (kind) {
    case 'auth':
      return new ProviderAuthError(message, { ...options, hint: failure.hint ?? providerAuthHint(provider) });
    case 'rate-limit':
      return new RateLimitError(message, {
        ...options,
        retryAfterMs: failure.retryAfterMs ?? parseRetryAfterMs(failure.headers),
        ...hintOf(failure.hint),
      });
    case 'unavailable':
      return new ProviderUnavailableError(message, { ...options, ...hintOf(failure.hint) });
    case 'bad-request':
      return new BadRequestError(message, { ...options, ...hintOf(failure.hint ?? (status === 404 ? MODEL_HINT : undefined)) });
    case 'other':
      return new ProviderError(message, { ...options, ...hintOf(failure.hint) });
  }
}

function hintOf(hint: string | undefined): { hint?: string } {
  return hint === undefined ? {} : { hint };
}

function whatHappened(kind: ProviderErrorKind, midStream: boolean | undefined): string {
  if (midStream && kind !== 'auth' && kind !== 'rate-limit') return 'failed mid-stream';
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

/**
 * How long the server asks us to wait, in milliseconds: `retry-after-ms` (OpenAI's and Anthropic's
 * own), else the standard `retry-after` in seconds or as an HTTP date (never negative). Undefined when
 * neither is there or readable.
 */
export function parseRetryAfterMs(headers: HeadersLike | null | undefined, now: number = Date.now()): number | undefined {
  const milliseconds = headers?.get('retry-after-ms')?.trim();
  if (milliseconds && /^\d+(\.\d+)?$/.test(milliseconds)) return Number(milliseconds);
  const retryAfter = headers?.get('retry-after')?.trim();
  if (!retryAfter) return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait a google.rpc.RetryInfo detail asks for (`"retryDelay": "48s"`, `"1.5s"`), in
 * milliseconds. Google's APIs put it in the error body's `details` instead of a header.
 */
export function retryInfoDelayMs(details: unknown): number | undefined {
  if (!Array.isArray(details)) return undefined;
  const retryInfo = details.find(
    (detail): detail is Record<string, unknown> =>
      typeof detail === 'object' &&
      detail !== null &&
      String((detail as Record<string, unknown>)['@type']).endsWith('google.rpc.RetryInfo'),
  );
  const delay = retryInfo?.retryDelay;
  if (typeof delay !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(delay.trim());
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** `300 s`, `1.5 s`, `250 ms`: how every message names a length of time. */
export function formatDuration(milliseconds: number): string {
  return milliseconds < 1000 ? `${Math.round(milliseconds)} ms` : `${Number((milliseconds / 1000).toFixed(1))} s`;
}

/**
 * The most useful line of a transport error: undici hides the socket's reason in `cause`
 * (`fetch failed` → `connect ECONNREFUSED 127.0.0.1:9`), so the outer message and the deepest one
 * are joined. Undefined for an empty message.
 */
export function describeCause(error: unknown): string | undefined {
  if (!(error instanceof Error)) {
    const text = String(error).trim();
    return text === '' ? undefined : text;
  }
  let deepest = error;
  for (let depth = 0; depth < 5 && deepest.cause instanceof Error && deepest.cause.message; depth += 1) deepest = deepest.cause;
  const text = deepest === error || deepest.message === error.message ? error.message : `${error.message}: ${deepest.message}`;
  return text.trim() === '' ? undefined : text;
}

/** The SDK's own timer ran out before the answer began (llmo's own silence timer is in retry.ts). */
export function timeoutError(provider: string, timeoutMs: number | undefined): ProviderUnavailableError {
  const what = timeoutMs === undefined ? 'no answer (timed out)' : `no answer within ${formatDuration(timeoutMs)}`;
  return new ProviderUnavailableError(formatProviderMessage({ provider, what }), { provider });
}

/** The request never reached the server (refused, reset, DNS). `baseURL` is shown by host only. */
export function connectionError(
  provider: string,
  cause: unknown,
  options: { baseURL?: string | undefined; apiKey?: string | undefined } = {},
) {
  const host = hostOf(options.baseURL);
  const what = `could not connect${host ? ` to ${host}` : ''}`;
  return new ProviderUnavailableError(formatProviderMessage({ provider, what, said: describeCause(cause), apiKey: options.apiKey }), {
    provider,
    hint: 'check the network and the base URL',
  });
}

function hostOf(baseURL: string | undefined): string | undefined {
  if (!baseURL) return undefined;
  try {
    // Host only: a base URL may carry credentials in its user-info or query.
    return new URL(baseURL).host;
  } catch {
    return undefined;
  }
}

export interface StreamCut {
  provider: string;
  requestId?: string | undefined;
  /** What broke it: the transport's error, or words saying what was missing. */
  cause?: unknown;
  apiKey?: string | undefined;
}

/**
 * A stream that broke off after it began (the socket closed, a chunk was not JSON, no finish
 * reason ever came). Retryable: a fresh request may well succeed.
 */
export function streamCutError(cut: StreamCut): ProviderUnavailableError {
  const { provider, requestId, apiKey, cause } = cut;
  let said = cause === undefined ? undefined : typeof cause === 'string' ? cause : describeCause(cause);
  if (cause instanceof SyntaxError) said = `a chunk was not valid JSON: ${said}`;
  return new ProviderUnavailableError(
    formatProviderMessage({ provider, what: 'the response was cut off mid-stream', said, requestId, apiKey }),
    { provider, requestId },
  );
}

/**
 * The adapter was given no key for a provider that needs one. Adapters never let an SDK look for a
 * key of its own (environment variables, credential files) behind the back of llmo's vault.
 */
export function noKeyError(provider: string): ProviderAuthError {
  return new ProviderAuthError(formatProviderMessage({ provider, what: 'no API key' }), {
    provider,
    hint: `store one with \`llmo auth add ${provider}\`, or set its API key variable (\`llmo auth status\` shows which)`,
  });
}

/** Anything an adapter did not expect, worded like the rest and never claiming a retry can help. */
export function unexpectedError(provider: string, error: unknown, apiKey?: string): ProviderError {
  return new ProviderError(formatProviderMessage({ provider, what: 'unexpected failure', said: describeCause(error), apiKey }), {
    provider,
  });
}
