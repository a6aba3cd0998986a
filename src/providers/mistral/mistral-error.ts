import {
  BadRequestError,
  ProviderAuthError,
  ProviderError,
  ProviderUnavailableError,
  RateLimitError,
  type ProviderErrorOptions,
} from '../spec.js';

/** What a mapped error may mention besides the failure itself. */
export interface MistralErrorContext {
  /** The configured provider name, used in messages. */
  provider: string;
  /** Only used to scrub the key from anything the provider or the network echoes back. */
  apiKey?: string | undefined;
  /** The request id, when the failure came after the response headers. */
  requestId?: string | undefined;
  /** The timeout in force, to say how long llmo waited. */
  timeoutMs?: number | undefined;
}

interface HeadersLike {
  get(name: string): string | null;
}

/**
 * What every HTTP error of the SDK carries (MistralError and its subclasses SDKError,
 * HTTPValidationError, ResponseValidationError). Matched by shape rather than `instanceof`, so that
 * mapping an error never has to load the SDK.
 */
interface MistralHttpError {
  name: string;
  statusCode: number;
  body: string;
  headers: HeadersLike;
}

/**
 * A failed request (no stream yet, or a non-streaming call) → a normalised provider error.
 *
 * The SDK's own error is deliberately not kept as `cause`: it holds the Request, whose
 * Authorization header is the API key, and `util.inspect` would print it.
 */
export function mapMistralError(error: unknown, context: MistralErrorContext): ProviderError {
  if (isMistralHttpError(error)) return fromResponse(error, context);
  const { provider } = context;
  const options: ProviderErrorOptions = { provider, requestId: context.requestId };
  switch (errorName(error)) {
    case 'RequestTimeoutError': {
      const waited = context.timeoutMs === undefined ? '' : ` within ${formatSeconds(context.timeoutMs)}`;
      return new ProviderUnavailableError(`${provider} did not answer${waited}`, {
        ...options,
        hint: 'Try again, or raise the timeout.',
      });
    }
    case 'ConnectionError': {
      const cause = innermostCause(error);
      return new ProviderUnavailableError(`could not connect to ${provider}: ${describe(cause, context)}`, {
        ...options,
        cause,
        hint: 'Check the network and the base URL.',
      });
    }
    case 'RequestAbortedError':
      return new ProviderUnavailableError(`the request to ${provider} was aborted`, options);
    case 'SDKValidationError':
    case 'InvalidRequestError':
      // The SDK refused to send what llmo built (a bad setting, or no base URL).
      return new BadRequestError(`llmo built a request ${provider} cannot take: ${describe(error, context)}`, options);
    case 'UnexpectedClientError': {
      const cause = innermostCause(error);
      return new ProviderUnavailableError(`the request to ${provider} failed: ${describe(cause, context)}`, {
        ...options,
        cause,
      });
    }
    default:
      if (error instanceof SyntaxError) {
        return new ProviderError(`${provider} sent a response llmo could not read`, options);
      }
      return new ProviderError(`the request to ${provider} failed: ${describe(error, context)}`, options);
  }
}

/**
 * A failure while reading a stream that had started. A body that stops short (undici's
 * "terminated", a reset socket) is a cut; an event the SDK's schema rejects is unreadable.
 */
export function mapMistralStreamError(error: unknown, context: MistralErrorContext): ProviderError {
  const name = errorName(error);
  if (name === 'ZodError' || name === '$ZodError' || error instanceof SyntaxError) {
    // Mistral has never been recorded failing inside a 200 stream; the likeliest form is its error
    // envelope as a data frame, which the SDK's chunk schema rejects without keeping the body.
    return new ProviderUnavailableError(`${context.provider} sent a stream event llmo could not read`, {
      provider: context.provider,
      requestId: context.requestId,
    });
  }
  return streamCutOffError(context, error);
}

/** The stream ended, cleanly or not, before Mistral said why it finished. */
export function streamCutOffError(context: MistralErrorContext, cause?: unknown): ProviderUnavailableError {
  return new ProviderUnavailableError(`the response from ${context.provider} was cut off mid-stream`, {
    provider: context.provider,
    requestId: context.requestId,
    cause: cause === undefined ? undefined : innermostCause(cause),
  });
}

/**
 * How long to wait before retrying, in milliseconds: `retry-after-ms`, else `retry-after` in
 * seconds or as an HTTP date. Mistral's recorded 429 sends neither.
 */
export function parseRetryAfter(headers: HeadersLike, now: number = Date.now()): number | undefined {
  const milliseconds = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const retryAfter = headers.get('retry-after')?.trim();
  if (!retryAfter) return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The provider's own words from an error body. Mistral has used several envelopes:
 * `{"object":"error","message",…}` (400/429/500), `{"message","request_id"}` (the 2025 401),
 * `{"detail":"Invalid API Key"}` (the 2026 401) and pydantic's `{"detail":[{msg,…}]}` (422).
 */
export function extractProviderMessage(body: string): string | undefined {
  const parsed = parseJson(body);
  if (isRecord(parsed)) {
    if (typeof parsed['message'] === 'string' && parsed['message'] !== '') return parsed['message'];
    const detail = parsed['detail'];
    if (typeof detail === 'string' && detail !== '') return detail;
    if (Array.isArray(detail)) {
      const messages = detail.map((item) => (isRecord(item) && typeof item['msg'] === 'string' ? item['msg'] : undefined));
      const distinct = [...new Set(messages.filter((message) => message !== undefined))];
      if (distinct.length > 0) return distinct.join('; ');
    }
    // A proxy in front of Mistral may answer in OpenAI's envelope.
    const nested = parsed['error'];
    if (isRecord(nested) && typeof nested['message'] === 'string') return nested['message'];
  }
  const text = body.trim();
  return text === '' ? undefined : text;
}

function fromResponse(error: MistralHttpError, context: MistralErrorContext): ProviderError {
  const { provider } = context;
  const status = error.statusCode;
  const options: ProviderErrorOptions = { provider, status, requestId: requestIdOf(error) ?? context.requestId };
  if (error.name === 'ResponseValidationError') {
    return new ProviderError(`${provider} sent a response llmo could not read (HTTP ${status})`, options);
  }
  const detail = oneLine(scrub(extractProviderMessage(error.body) ?? 'no details given', context.apiKey));
  if (status === 401 || status === 403) {
    return new ProviderAuthError(`${provider} rejected the API key (HTTP ${status}): ${detail}`, {
      ...options,
      hint: `Check where the key comes from with \`llmo auth status\`; replace it with \`llmo auth add ${provider}\`.`,
    });
  }
  if (status === 429) {
    return new RateLimitError(`${provider} rate limit reached (HTTP 429): ${detail}`, {
      ...options,
      retryAfterMs: parseRetryAfter(error.headers),
    });
  }
  if (status >= 500 || status === 408) {
    return new ProviderUnavailableError(`${provider} is unavailable (HTTP ${status}): ${detail}`, options);
  }
  return new BadRequestError(`${provider} rejected the request (HTTP ${status}): ${detail}`, options);
}

/** mistral-correlation-id; the 2025 401 had only its body's request_id (= x-kong-request-id). */
function requestIdOf(error: MistralHttpError): string | undefined {
  const parsed = parseJson(error.body);
  const bodyRequestId = isRecord(parsed) && typeof parsed['request_id'] === 'string' ? parsed['request_id'] : undefined;
  return error.headers.get('mistral-correlation-id') ?? bodyRequestId ?? error.headers.get('x-kong-request-id') ?? undefined;
}

function isMistralHttpError(error: unknown): error is MistralHttpError {
  if (!isRecord(error)) return false;
  const headers = error['headers'];
  return (
    typeof error['statusCode'] === 'number' &&
    typeof error['body'] === 'string' &&
    isRecord(headers) &&
    typeof headers['get'] === 'function'
  );
}

function errorName(error: unknown): string | undefined {
  return isRecord(error) && typeof error['name'] === 'string' ? error['name'] : undefined;
}

/** The deepest `cause` (fetch's "fetch failed" hides "connect ECONNREFUSED …" two levels down). */
function innermostCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5 && isRecord(current) && current['cause'] !== undefined; depth += 1) {
    current = current['cause'];
  }
  return current;
}

function describe(error: unknown, context: MistralErrorContext): string {
  const text = error instanceof Error ? error.message : String(error);
  return oneLine(scrub(text, context.apiKey)) || 'no details given';
}

/** Messages are one line and bounded: a provider may send a page of HTML. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

/** Scrubs the key should anything echo it back. Very short "keys" are left alone to keep text readable. */
function scrub(text: string, apiKey: string | undefined): string {
  if (!apiKey || apiKey.length < 8) return text;
  return text.split(apiKey).join('[REDACTED]');
}

function formatSeconds(milliseconds: number): string {
  return `${Number((milliseconds / 1000).toFixed(1))} s`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
