import {
  BadRequestError,
  ProviderAuthError,
  ProviderError,
  ProviderUnavailableError,
  RateLimitError,
} from '../spec.js';

export interface GeminiErrorContext {
  /** The configured provider name, used in messages. */
  provider: string;
  /** Scrubbed from every message, should anything ever echo it. */
  apiKey?: string;
  /** The per-request timeout in force, to tell a timeout from other aborts. */
  timeoutMs?: number;
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
 * own aborts first: by the time an AbortError gets here, the SDK's timeout fired it.
 * Messages start with "<provider>: ", which bin/llmo.js takes as naming the provider already.
 */
export function mapGeminiError(error: unknown, context: GeminiErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const { provider } = context;
  const scrub = (text: string) => oneLine(redact(text, context.apiKey));

  if (isApiError(error)) {
    const body = parseGeminiErrorBody(error.message);
    const status = error.status;
    const providerMessage = scrub(body?.message ?? error.message);
    const label = `HTTP ${status}${body?.status ? ` ${body.status}` : ''}`;
    // No `cause`: the ApiError holds the raw response body, which a proxy could make echo the key;
    // its useful part is in the message already, scrubbed.
    const options = { provider, status };

    if (status === 401 || status === 403 || (status === 400 && isKeyRejected(body))) {
      return new ProviderAuthError(`${provider}: API key rejected (${label}): ${providerMessage}`, {
        ...options,
        hint: `check the ${provider} API key; \`llmo auth status\` shows where it comes from`,
      });
    }
    if (status === 429) {
      return new RateLimitError(`${provider}: rate limit or quota exceeded (${label}): ${providerMessage}`, {
        ...options,
        retryAfterMs: retryDelayMs(body),
      });
    }
    if (status >= 500 || status === 408) {
      const what = context.midStream ? 'failed mid-stream' : 'server error';
      return new ProviderUnavailableError(`${provider}: ${what} (${label}): ${providerMessage}`, options);
    }
    return new BadRequestError(`${provider}: request rejected (${label}): ${providerMessage}`, options);
  }

  const detail = scrub(describe(error));
  if (isAbortError(error)) {
    // The SDK's timeout stays armed while the body streams in, so it can also end a long answer.
    const limit = context.timeoutMs === undefined ? '' : ` ${context.timeoutMs} ms`;
    if (context.midStream) return streamCutOffError(provider, `timed out after${limit || ' its time limit'}`, error);
    return new ProviderUnavailableError(`${provider}: no answer${limit ? ` within${limit}` : ''} (timed out)`, {
      provider,
      cause: error,
    });
  }
  if (context.midStream) return streamCutOffError(provider, detail, error);
  return new ProviderUnavailableError(`${provider}: could not reach the API (${detail})`, { provider, cause: error });
}

/** A stream that broke off, or ended without a finishReason, after it had started. */
export function streamCutOffError(provider: string, detail?: string, cause?: unknown): ProviderUnavailableError {
  const reason = detail ? ` (${detail})` : '';
  return new ProviderUnavailableError(`${provider}: the response was cut off mid-stream${reason}`, {
    provider,
    cause,
  });
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

/** `RetryInfo.retryDelay` ("48s", "1.5s") in milliseconds. */
export function retryDelayMs(body: GeminiErrorBody | undefined): number | undefined {
  const retryInfo = body?.details?.find((detail) => String(detail['@type']).endsWith('google.rpc.RetryInfo'));
  const delay = retryInfo?.retryDelay;
  if (typeof delay !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(delay.trim());
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
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

/** The most useful line of a transport error: undici hides the socket's reason in `cause`. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error && cause.message && cause.message !== error.message) return `${error.message}: ${cause.message}`;
  return error.message;
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

/** Short strings are skipped: blanking every "a" of a message would hide more than it protects. */
function redact(text: string, secret: string | undefined): string {
  return secret && secret.length >= 8 ? text.split(secret).join('[REDACTED]') : text;
}

/** Error messages are one line; Google's 429 message spans several. */
function oneLine(text: string): string {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return collapsed.length > 500 ? `${collapsed.slice(0, 497)}...` : collapsed;
}
