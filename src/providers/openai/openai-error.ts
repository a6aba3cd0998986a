// Turns what the openai SDK throws into the spec's provider errors. Only the SDK's small error
// module is imported here, so loading this file does not load the SDK itself.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai/core/error';
import {
  BadRequestError,
  formatProviderMessage,
  providerAuthHint,
  ProviderAuthError,
  ProviderError,
  ProviderUnavailableError,
  RateLimitError,
  redactSecret,
  type ProviderErrorOptions,
} from '../spec.js';

export interface OpenAIErrorContext {
  provider: string;
  /** Redacted from every message: a misbehaving server may echo the key back. */
  apiKey?: string | undefined;
  baseURL?: string | undefined;
  timeoutMs?: number | undefined;
}

/** Replaces the key, and any bearer token, wherever it appears in `text` (see spec's redactSecret). */
export function redactSecrets(text: string, apiKey?: string): string {
  return redactSecret(text, apiKey);
}

/**
 * The request id a vendor returned: OpenAI (and vLLM) send `x-request-id`; DeepSeek sends only
 * `x-ds-trace-id`.
 */
export function requestIdFrom(headers: Headers | null | undefined): string | undefined {
  return headers?.get('x-request-id') ?? headers?.get('x-ds-trace-id') ?? undefined;
}

/**
 * How long a 429 asks us to wait: `retry-after-ms` (OpenAI's own, milliseconds), else
 * `retry-after` in seconds or as an HTTP date. Undefined when neither is usable.
 */
export function parseRetryAfterMs(headers: Headers | null | undefined, now: number = Date.now()): number | undefined {
  const milliseconds = headers?.get('retry-after-ms');
  if (milliseconds) {
    const value = Number(milliseconds.trim());
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const retryAfter = headers?.get('retry-after')?.trim();
  if (!retryAfter) return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Compatible servers do not all use OpenAI's `{"error":{message,…}}` envelope: vLLM has sent it
 * flat, FastAPI-based servers send `{"detail":…}`, LM Studio and older Ollama send
 * `{"error":"text"}`. The SDK reads only `body.error` and would report "status code (no body)"
 * for the others, so the client wraps them in the envelope first.
 */
export function normalizeOpenAIErrorBody(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (typeof error === 'string') return { ...record, error: { message: error } };
  if (error !== undefined && error !== null) return body;
  if (typeof record.message === 'string') return { error: record };
  const detail = record.detail;
  if (detail !== undefined) return { error: { message: typeof detail === 'string' ? detail : JSON.stringify(detail) } };
  return body;
}

/** The vendor's own words, without the SDK's "<status> " prefix. */
function providerMessage(error: APIError): string | undefined {
  const body = error.error as { message?: unknown } | undefined;
  if (typeof body?.message === 'string' && body.message.trim()) return body.message;
  let text = error.message;
  if (error.status !== undefined && text.startsWith(`${error.status} `)) text = text.slice(`${error.status} `.length);
  if (text === 'status code (no body)' || text === '(no status code or body)') return undefined;
  return text.trim() || undefined;
}

type ErrorKind = 'auth' | 'rate-limit' | 'unavailable' | 'bad-request';

function kindOfStatus(status: number): ErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate-limit';
  // 408 and 409 are what the SDK itself would have retried (request timeout, lock timeout).
  if (status >= 500 || status === 408 || status === 409) return 'unavailable';
  return 'bad-request';
}

/**
 * An error without an HTTP status (a `data: {"error":…}` frame inside a 200 stream, or an error
 * body sent with 200) is classified by its `type` and `code`. Gateways such as OpenRouter put the
 * upstream HTTP status in `code`.
 */
function kindOfErrorBody(type: string | undefined, code: unknown): ErrorKind {
  if (typeof code === 'number' && code >= 400) return kindOfStatus(code);
  if (code === 'invalid_api_key' || type === 'authentication_error') return 'auth';
  if (code === 'rate_limit_exceeded' || code === 'insufficient_quota' || type === 'insufficient_quota') return 'rate-limit';
  if (type === 'tokens' || type === 'requests' || type === 'rate_limit_error') return 'rate-limit';
  if (type === 'invalid_request_error') return 'bad-request';
  // Anything else that breaks a stream after it started is the vendor's trouble.
  return 'unavailable';
}

function hostOf(baseURL: string | undefined): string | undefined {
  if (!baseURL) return undefined;
  try {
    // host only: a base URL may carry credentials in its user-info or query.
    return new URL(baseURL).host;
  } catch {
    return undefined;
  }
}

/** The innermost message of an error's cause chain ("connect ECONNREFUSED 127.0.0.1:9"). */
function rootCauseMessage(error: unknown): string | undefined {
  let current: unknown = error;
  let message: string | undefined;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    message = current.message || message;
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}

function fromAPIError(error: APIError, context: OpenAIErrorContext): ProviderError {
  const { provider, apiKey } = context;
  const requestId = error.requestID ?? requestIdFrom(error.headers);
  const said = providerMessage(error);
  const kind = error.status === undefined ? kindOfErrorBody(error.type, error.code) : kindOfStatus(error.status);
  const status = error.status ?? (typeof error.code === 'number' ? error.code : undefined);
  const message = (what: string) => formatProviderMessage({ provider, what, said, status, requestId, apiKey });
  // No `cause`: the SDK error holds the raw response body, which could echo the key.
  const options: ProviderErrorOptions = { provider, status, requestId };
  const midStream = error.status === undefined;

  switch (kind) {
    case 'auth':
      return new ProviderAuthError(message('API key rejected'), { ...options, hint: providerAuthHint(provider) });
    case 'rate-limit': {
      const quota = error.code === 'insufficient_quota' || error.type === 'insufficient_quota';
      return new RateLimitError(message(quota ? 'out of quota' : 'rate limit reached'), {
        ...options,
        retryAfterMs: parseRetryAfterMs(error.headers),
        // An empty account stays empty: retrying only delays the message.
        ...(quota ? { retryable: false, hint: `the ${provider} account is out of quota; check its plan and billing` } : {}),
      });
    }
    case 'unavailable':
      return new ProviderUnavailableError(message(midStream ? 'failed mid-stream' : 'server error'), options);
    case 'bad-request':
      return new BadRequestError(message('request rejected'), {
        ...options,
        ...(error.code === 'model_not_found' || error.status === 404
          ? { hint: 'check the model name; `llmo models` lists the configured ones' }
          : {}),
      });
  }
}

/**
 * Any failure of an SDK call as a spec ProviderError. Aborts by the caller are not handled here:
 * check the caller's signal first (see openai-model.ts).
 */
export function toProviderError(error: unknown, context: OpenAIErrorContext): ProviderError {
  const { provider, apiKey } = context;
  if (error instanceof ProviderError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    const what = context.timeoutMs === undefined ? 'no answer (timed out)' : `no answer within ${formatMilliseconds(context.timeoutMs)}`;
    return new ProviderUnavailableError(formatProviderMessage({ provider, what }), { provider });
  }
  if (error instanceof APIUserAbortError) {
    // Only reached when something other than the caller aborted the request.
    return new ProviderUnavailableError(formatProviderMessage({ provider, what: 'the request was aborted' }), { provider });
  }
  if (error instanceof APIConnectionError) {
    const host = hostOf(context.baseURL);
    const cause = rootCauseMessage(error);
    return new ProviderUnavailableError(
      formatProviderMessage({ provider, what: `could not connect${host ? ` to ${host}` : ''}`, said: cause, apiKey }),
      { provider, hint: 'check the network and the base URL' },
    );
  }
  if (error instanceof APIError) return fromAPIError(error, context);
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(formatProviderMessage({ provider, what: 'unexpected failure', said: message, apiKey }), { provider });
}

/** `300 s`, `1.5 s`, `250 ms`. */
export function formatMilliseconds(milliseconds: number): string {
  return milliseconds < 1000 ? `${milliseconds} ms` : `${Number((milliseconds / 1000).toFixed(1))} s`;
}

/**
 * A stream whose transport failed after it began (the socket closed, a chunk was not JSON, it
 * went quiet, no finish_reason ever came). Retryable: a fresh request may well succeed.
 * `cause` is the error the SDK threw, or a description of what went wrong.
 */
export function streamCutError(cause: unknown, context: OpenAIErrorContext, requestId: string | undefined): ProviderUnavailableError {
  const { provider, apiKey } = context;
  let detail = typeof cause === 'string' ? cause : rootCauseMessage(cause);
  if (cause instanceof SyntaxError) detail = `a chunk was not valid JSON: ${detail}`;
  const message = formatProviderMessage({ provider, what: 'the response was cut off mid-stream', said: detail, requestId, apiKey });
  return new ProviderUnavailableError(message, { provider, requestId });
}
