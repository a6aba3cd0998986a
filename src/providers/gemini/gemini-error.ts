import {
  connectionError,
  describeCause,
  formatDuration,
  httpProviderError,
  retryInfoDelayMs,
  streamCutError,
  timeoutError,
} from '../provider-errors.js';
import { ProviderError, type ProviderUnavailableError } from '../spec.js';

export interface GeminiErrorContext {
  /** The configured provider name, used in messages. */
  provider: string;
  /** Scrubbed from every message, should anything ever echo it. */
  apiKey?: string | undefined;
  /** The per-request timeout in force, to tell a timeout from other aborts. */
  timeoutMs?: number | undefined;
  /** Whether the response had already started streaming when the failure happened. */
  midStream?: boolean;
}

/** The `error` object of Google's envelope `{"error":{"code","message","status","details"}}`. */
export interface GeminiErrorBody {
  code?: number;
  message?: string;
  status?: string;
  details?: Array<Record<string, unknown>>;
}

/**
 * Turns whatever @google/genai threw into one of llmo's provider errors. The caller handles its
 * own aborts first. What is Gemini's own here: its envelope (which the SDK buries in a message
 * string), the 400 that means a bad key, and RetryInfo in the body instead of a retry-after header.
 * Gemini sends no request id. No error keeps the SDK's as its `cause`: the ApiError holds the raw
 * body, and fetch's errors may quote a header value, which `util.inspect` would print.
 */
export function mapGeminiError(error: unknown, context: GeminiErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const { provider, apiKey } = context;

  if (isApiError(error)) {
    const body = parseGeminiErrorBody(error.message);
    const status = error.status;
    return httpProviderError({
      provider,
      status,
      kind: status === 400 && isKeyRejected(body) ? 'auth' : undefined,
      said: body?.message ?? error.message,
      retryAfterMs: retryInfoDelayMs(body?.details),
      apiKey,
      midStream: context.midStream,
    });
  }

  if (isAbortError(error)) {
    if (context.midStream) {
      const limit = context.timeoutMs === undefined ? '' : ` within ${formatDuration(context.timeoutMs)}`;
      return streamCutOffError(provider, `timed out${limit}`, apiKey);
    }
    return timeoutError(provider, context.timeoutMs);
  }
  if (context.midStream) return streamCutOffError(provider, describeCause(error), apiKey);
  return connectionError(provider, error, { apiKey });
}

/** A stream that broke off, or ended without a finishReason, after it had started. */
export function streamCutOffError(provider: string, detail?: string, apiKey?: string): ProviderUnavailableError {
  return streamCutError({ provider, cause: detail, apiKey });
}

/**
 * Reads Google's error envelope out of an ApiError message. The SDK builds that message three
 * ways: the parsed JSON body re-serialised (application/json responses); the same envelope with
 * the raw body text as `error.message` (the alt=sse endpoint answers errors as text/event-stream,
 * so the SDK does not parse them); and `got status: X. {json}` for an error inside a 200 stream.
 */
export function parseGeminiErrorBody(message: string): GeminiErrorBody | undefined {
  const outer = envelopeOf(parseJson(message) ?? parseJson(message.slice(Math.max(0, message.indexOf('{')))));
  if (outer === undefined) return undefined;
  const inner = typeof outer.message === 'string' ? envelopeOf(parseJson(outer.message)) : undefined;
  return inner ?? outer;
}

/** Gemini answers a bad key with 400 INVALID_ARGUMENT and an ErrorInfo reason, never with 401. */
function isKeyRejected(body: GeminiErrorBody | undefined): boolean {
  return body?.details?.some((detail) => detail.reason === 'API_KEY_INVALID') ?? false;
}

/** Duck-typed so this file need not load the SDK: the SDK itself checks `name === 'ApiError'`. */
function isApiError(error: unknown): error is Error & { status: number } {
  return error instanceof Error && error.name === 'ApiError' && typeof (error as { status?: unknown }).status === 'number';
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function envelopeOf(value: unknown): GeminiErrorBody | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const error = (value as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  return error as GeminiErrorBody;
}
