import {
  BadRequestError,
  formatProviderMessage,
  providerAuthHint,
  ProviderAuthError,
  ProviderError,
  ProviderUnavailableError,
  RateLimitError,
} from '../spec.js';

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
 * own aborts first: by the time an AbortError gets here, llmo's own wait for the answer to start
 * ran out. Messages read `<provider>: <what happened>: <Google's words> (HTTP n)`, the shape every
 * adapter uses (Gemini sends no request id). No error keeps the SDK's as its `cause`: the ApiError
 * holds the raw body, and fetch's errors may quote a header value, which `util.inspect` would print.
 */
export function mapGeminiError(error: unknown, context: GeminiErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const { provider, apiKey } = context;

  if (isApiError(error)) {
    const body = parseGeminiErrorBody(error.message);
    const status = error.status;
    const said = body?.message ?? error.message;
    const options = { provider, status };
    const message = (what: string) => formatProviderMessage({ provider, what, said, status, apiKey });

    if (status === 401 || status === 403 || (status === 400 && isKeyRejected(body))) {
      return new ProviderAuthError(message('API key rejected'), { ...options, hint: providerAuthHint(provider) });
    }
    if (status === 429) {
      return new RateLimitError(message('rate limit reached'), { ...options, retryAfterMs: retryDelayMs(body) });
    }
    if (status >= 500 || status === 408) {
      return new ProviderUnavailableError(message(context.midStream ? 'failed mid-stream' : 'server error'), options);
    }
    return new BadRequestError(message('request rejected'), {
      ...options,
      ...(status === 404 ? { hint: 'check the model name; `llmo models` lists the configured ones' } : {}),
    });
  }

  const detail = describe(error);
  if (isAbortError(error)) {
    const limit = context.timeoutMs === undefined ? '' : ` within ${formatMilliseconds(context.timeoutMs)}`;
    if (context.midStream) return streamCutOffError(provider, `timed out${limit}`, apiKey);
    return new ProviderUnavailableError(formatProviderMessage({ provider, what: `no answer${limit || ' (timed out)'}` }), { provider });
  }
  if (context.midStream) return streamCutOffError(provider, detail, apiKey);
  return new ProviderUnavailableError(formatProviderMessage({ provider, what: 'could not connect', said: detail, apiKey }), {
    provider,
    hint: 'check the network and the base URL',
  });
}

/** A stream that broke off, or ended without a finishReason, after it had started. */
export function streamCutOffError(provider: string, detail?: string, apiKey?: string): ProviderUnavailableError {
  return new ProviderUnavailableError(
    formatProviderMessage({ provider, what: 'the response was cut off mid-stream', said: detail, apiKey }),
    {
      provider,
    },
  );
}

/** `300 s`, `1.5 s`, `250 ms`. */
function formatMilliseconds(milliseconds: number): string {
  return milliseconds < 1000 ? `${milliseconds} ms` : `${Number((milliseconds / 1000).toFixed(1))} s`;
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
