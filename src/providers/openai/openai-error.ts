// Turns what the openai SDK throws into the spec's provider errors. Only the SDK's small error
// module is imported here, so loading this file does not load the SDK itself. What is OpenAI's own
// here: where compatible servers put their words, which header holds the request id, what an error
// frame's `type`/`code` mean, and the 429 that is an empty account rather than a rate.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai/core/error';
import {
  connectionError,
  type HeadersLike,
  httpProviderError,
  kindOfStatus,
  type ProviderErrorKind,
  streamCutError as cutError,
  timeoutError,
  unexpectedError,
} from '../provider-errors.js';
import { formatProviderMessage, ProviderError, ProviderUnavailableError } from '../spec.js';

export interface OpenAIErrorContext {
  provider: string;
  /** Redacted from every message: a misbehaving server may echo the key back. */
  apiKey?: string | undefined;
  baseURL?: string | undefined;
  timeoutMs?: number | undefined;
}

/**
 * The request id a vendor returned: OpenAI (and vLLM) send `x-request-id`; DeepSeek sends only
 * `x-ds-trace-id`.
 */
export function requestIdFrom(headers: HeadersLike | null | undefined): string | undefined {
  return headers?.get('x-request-id') ?? headers?.get('x-ds-trace-id') ?? undefined;
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

/**
 * An error without an HTTP status (a `data: {"error":…}` frame inside a 200 stream, or an error
 * body sent with 200) is classified by its `type` and `code`. Gateways such as OpenRouter put the
 * upstream HTTP status in `code`.
 */
function kindOfErrorBody(type: string | undefined, code: unknown): ProviderErrorKind {
  if (typeof code === 'number' && code >= 400) return kindOfStatus(code);
  if (code === 'invalid_api_key' || type === 'authentication_error') return 'auth';
  if (code === 'rate_limit_exceeded' || code === 'insufficient_quota' || type === 'insufficient_quota') return 'rate-limit';
  if (type === 'tokens' || type === 'requests' || type === 'rate_limit_error') return 'rate-limit';
  if (type === 'invalid_request_error') return 'bad-request';
  // Anything else that breaks a stream after it started is the vendor's trouble.
  return 'unavailable';
}

function fromAPIError(error: APIError, context: OpenAIErrorContext): ProviderError {
  const { provider, apiKey } = context;
  const quota = error.code === 'insufficient_quota' || error.type === 'insufficient_quota';
  // No `cause`: the SDK error holds the raw response body, which could echo the key.
  return httpProviderError({
    provider,
    status: error.status ?? (typeof error.code === 'number' ? error.code : undefined),
    kind: error.status === undefined ? kindOfErrorBody(error.type, error.code) : undefined,
    said: providerMessage(error),
    requestId: error.requestID ?? requestIdFrom(error.headers),
    headers: error.headers,
    apiKey,
    midStream: error.status === undefined,
    // An empty account stays empty: retrying only delays the message.
    ...(quota
      ? { what: 'out of quota', retryable: false, hint: `the ${provider} account is out of quota; check its plan and billing` }
      : {}),
    ...(error.code === 'model_not_found' ? { hint: 'check the model name; `llmo models` lists the configured ones' } : {}),
  });
}

/**
 * Any failure of an SDK call as a spec ProviderError. Aborts by the caller are not handled here:
 * check the caller's signal first (see openai-model.ts).
 */
export function toProviderError(error: unknown, context: OpenAIErrorContext): ProviderError {
  const { provider, apiKey } = context;
  if (error instanceof ProviderError) return error;
  if (error instanceof APIConnectionTimeoutError) return timeoutError(provider, context.timeoutMs);
  if (error instanceof APIUserAbortError) {
    // Only reached when something other than the caller aborted the request.
    return new ProviderUnavailableError(formatProviderMessage({ provider, what: 'the request was aborted' }), { provider });
  }
  if (error instanceof APIConnectionError) return connectionError(provider, error.cause ?? error, { baseURL: context.baseURL, apiKey });
  if (error instanceof APIError) return fromAPIError(error, context);
  return unexpectedError(provider, error, apiKey);
}

/**
 * A stream whose transport failed after it began (the socket closed, a chunk was not JSON, it
 * went quiet, no finish_reason ever came). `cause` is the error the SDK threw, or words saying what
 * went wrong.
 */
export function streamCutError(cause: unknown, context: OpenAIErrorContext, requestId: string | undefined): ProviderUnavailableError {
  return cutError({ provider: context.provider, requestId, cause, apiKey: context.apiKey });
}
