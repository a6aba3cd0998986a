import { connectionError, describeCause, type HeadersLike, httpProviderError, streamCutError, timeoutError } from '../provider-errors.js';
import { BadRequestError, formatProviderMessage, ProviderError, type ProviderErrorOptions, ProviderUnavailableError } from '../spec.js';
import type { ToolArgumentsError } from './assemble-mistral-tool-calls.js';

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
 * A failed request (no stream yet, or a non-streaming call) → a normalised provider error, worded
 * `<provider>: <what happened>: <Mistral's words> (HTTP n, request id …)` like every adapter's.
 *
 * The SDK's own error is deliberately not kept as `cause`: it holds the Request, whose
 * Authorization header is the API key, and `util.inspect` would print it. Nor is fetch's error
 * underneath (it may quote a refused header value).
 */
export function mapMistralError(error: unknown, context: MistralErrorContext): ProviderError {
  if (isMistralHttpError(error)) return fromResponse(error, context);
  const { provider, apiKey, requestId } = context;
  const options: ProviderErrorOptions = { provider, requestId };
  const message = (what: string, said?: string) => formatProviderMessage({ provider, what, said, requestId, apiKey });
  switch (errorName(error)) {
    case 'RequestTimeoutError':
      return timeoutError(provider, context.timeoutMs);
    case 'ConnectionError':
      // The SDK's own "Unable to make request" says nothing; fetch's error underneath does.
      return connectionError(provider, isRecord(error) && error.cause !== undefined ? error.cause : error, { apiKey });
    case 'RequestAbortedError':
      return new ProviderUnavailableError(message('the request was aborted'), options);
    case 'SDKValidationError':
    case 'InvalidRequestError':
      // The SDK refused to send what llmo built (a bad setting, or no base URL).
      return new BadRequestError(message('the SDK refused to send the request', describeCause(error)), options);
    case 'UnexpectedClientError':
      return new ProviderUnavailableError(message('request failed', describeCause(error)), options);
    default:
      if (error instanceof SyntaxError) return new ProviderError(message('unreadable response'), options);
      return new ProviderError(message('request failed', describeCause(error)), options);
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
    const { provider, requestId } = context;
    return new ProviderUnavailableError(formatProviderMessage({ provider, what: 'unreadable stream event', requestId }), {
      provider,
      requestId,
    });
  }
  return streamCutOffError(context, error);
}

/** The stream ended, cleanly or not, before Mistral said why it finished. */
export function streamCutOffError(context: MistralErrorContext, cause?: unknown): ProviderUnavailableError {
  return streamCutError({ provider: context.provider, requestId: context.requestId, cause, apiKey: context.apiKey });
}

/**
 * Arguments that are not a JSON object: the model answered, but nothing can run on it. Not
 * retryable by default: the same prompt tends to bring the same arguments.
 */
export function toolArgumentsProviderError(error: ToolArgumentsError, context: MistralErrorContext): ProviderError {
  const { provider, requestId, apiKey } = context;
  return new ProviderError(
    formatProviderMessage({ provider, what: `unreadable tool call: ${error.message}`, said: error.argumentsText, requestId, apiKey }),
    { provider, requestId },
  );
}

/**
 * The provider's own words from an error body. Mistral has used several envelopes:
 * `{"object":"error","message",…}` (400/429/500), `{"message","request_id"}` (the 2025 401),
 * `{"detail":"Invalid API Key"}` (the 2026 401) and pydantic's `{"detail":[{msg,…}]}` (422).
 */
export function extractProviderMessage(body: string): string | undefined {
  const parsed = parseJson(body);
  if (isRecord(parsed)) {
    if (typeof parsed.message === 'string' && parsed.message !== '') return parsed.message;
    const detail = parsed.detail;
    if (typeof detail === 'string' && detail !== '') return detail;
    if (Array.isArray(detail)) {
      const messages = detail.map((item) => (isRecord(item) && typeof item.msg === 'string' ? item.msg : undefined));
      const distinct = [...new Set(messages.filter((message) => message !== undefined))];
      if (distinct.length > 0) return distinct.join('; ');
    }
    // A proxy in front of Mistral may answer in OpenAI's envelope.
    const nested = parsed.error;
    if (isRecord(nested) && typeof nested.message === 'string') return nested.message;
  }
  const text = body.trim();
  return text === '' ? undefined : text;
}

function fromResponse(error: MistralHttpError, context: MistralErrorContext): ProviderError {
  const { provider, apiKey } = context;
  const status = error.statusCode;
  const requestId = requestIdOf(error) ?? context.requestId;
  if (error.name === 'ResponseValidationError') {
    const options: ProviderErrorOptions = { provider, status, requestId };
    return new ProviderError(formatProviderMessage({ provider, what: 'unreadable response', status, requestId }), options);
  }
  return httpProviderError({ provider, status, said: extractProviderMessage(error.body), requestId, headers: error.headers, apiKey });
}

/** mistral-correlation-id; the 2025 401 had only its body's request_id (= x-kong-request-id). */
function requestIdOf(error: MistralHttpError): string | undefined {
  const parsed = parseJson(error.body);
  const bodyRequestId = isRecord(parsed) && typeof parsed.request_id === 'string' ? parsed.request_id : undefined;
  return error.headers.get('mistral-correlation-id') ?? bodyRequestId ?? error.headers.get('x-kong-request-id') ?? undefined;
}

function isMistralHttpError(error: unknown): error is MistralHttpError {
  if (!isRecord(error)) return false;
  const headers = error.headers;
  return typeof error.statusCode === 'number' && typeof error.body === 'string' && isRecord(headers) && typeof headers.get === 'function';
}

function errorName(error: unknown): string | undefined {
  return isRecord(error) && typeof error.name === 'string' ? error.name : undefined;
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
