import { readFileSync } from 'node:fs';
import { ApiError } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { BadRequestError, ProviderAuthError, ProviderUnavailableError, RateLimitError } from '../spec.js';
import { mapGeminiError, parseGeminiErrorBody, streamCutOffError } from './gemini-error.js';

const RECORDINGS = new URL('../../../test/fake-providers/recordings/gemini/', import.meta.url);
const recording = (name: string) => readFileSync(new URL(name, RECORDINGS), 'utf8');

// The three ways @google/genai 2.x words an ApiError's message (see throwErrorIfNotOK and
// throwIfStreamErrorChunk in its dist/node/index.mjs).
/** An application/json error response: the parsed body, re-serialised. */
function fromJsonResponse(body: string, status: number): ApiError {
  return new ApiError({ message: JSON.stringify(JSON.parse(body)), status });
}
/** Any other content type (the alt=sse endpoint's text/event-stream): the raw text, wrapped. */
function fromTextResponse(body: string, status: number, statusText: string): ApiError {
  return new ApiError({ message: JSON.stringify({ error: { message: body, code: status, status: statusText } }), status });
}
/** A bare `{"error":…}` read inside a 200 stream. */
function fromStreamChunk(body: string): ApiError {
  const parsed = JSON.parse(body) as { error: { code: number; status: string } };
  return new ApiError({ message: `got status: ${parsed.error.status}. ${JSON.stringify(parsed)}`, status: parsed.error.code });
}

const context = { provider: 'gemini' };
const KEY_MESSAGE = 'API key not valid. Please pass a valid API key.';

describe('mapGeminiError', () => {
  it("maps the recorded bad-key 400 (API_KEY_INVALID) to ProviderAuthError with Google's message", () => {
    const error = mapGeminiError(fromJsonResponse(recording('error_400_api_key_invalid.json'), 400), context);
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect(error.message).toBe(`gemini: API key rejected: ${KEY_MESSAGE} (HTTP 400)`);
    expect(error.status).toBe(400);
    expect(error.exitCode).toBe(4);
  });

  it('digs the message out of a bad-key 400 that the SDK wrapped as raw text (alt=sse endpoint)', () => {
    const apiError = fromTextResponse(recording('error_400_api_key_invalid_on_sse.json'), 400, 'Bad Request');
    const error = mapGeminiError(apiError, context);
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect(error.message).toBe(`gemini: API key rejected: ${KEY_MESSAGE} (HTTP 400)`);
  });

  it('maps the recorded no-key 403 PERMISSION_DENIED to ProviderAuthError', () => {
    const error = mapGeminiError(fromJsonResponse(recording('error_403_permission_denied_no_key.json'), 403), context);
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect(error.message).toMatch(/^gemini: API key rejected: Method doesn't allow unregistered callers.* \(HTTP 403\)$/);
  });

  it('maps a 401 to ProviderAuthError even though Gemini is not known to send one', () => {
    expect(mapGeminiError(new ApiError({ message: 'Unauthorized', status: 401 }), context)).toBeInstanceOf(ProviderAuthError);
  });

  it('maps the recorded 404 NOT_FOUND on the stream endpoint to BadRequestError', () => {
    const error = mapGeminiError(fromTextResponse(recording('error_404_model_not_found_sse.json'), 404, 'Not Found'), context);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toMatch(
      /^gemini: request rejected: models\/invalid-model-that-does-not-exist-12345 is not found.* \(HTTP 404\)$/,
    );
    expect(error.retryable).toBe(false);
  });

  it('maps a 400 that is not about the key to BadRequestError', () => {
    const body = '{"error": {"code": 400, "message": "Request contains an invalid argument.", "status": "INVALID_ARGUMENT"}}';
    const error = mapGeminiError(fromJsonResponse(body, 400), context);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toBe('gemini: request rejected: Request contains an invalid argument. (HTTP 400)');
  });

  it('maps the recorded 429 to RateLimitError, with RetryInfo.retryDelay "48s" as 48000 ms and a one-line message', () => {
    const error = mapGeminiError(fromJsonResponse(recording('error_429_resource_exhausted_retryinfo.json'), 429), context);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(48_000);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^gemini: rate limit reached: You exceeded your current quota.* \(HTTP 429\)$/);
    expect(error.message).not.toContain('\n');
  });

  it('maps the recorded 500 and 503 to ProviderUnavailableError', () => {
    const internal = mapGeminiError(fromJsonResponse(recording('error_500_internal.json'), 500), context);
    expect(internal).toBeInstanceOf(ProviderUnavailableError);
    expect(internal.message).toMatch(/^gemini: server error: An internal error has occurred.* \(HTTP 500\)$/);
    const overloaded = mapGeminiError(
      fromTextResponse(recording('error_503_unavailable_overloaded.json'), 503, 'Service Unavailable'),
      context,
    );
    expect(overloaded).toBeInstanceOf(ProviderUnavailableError);
    expect(overloaded.message).toBe('gemini: server error: The model is overloaded. Please try again later. (HTTP 503)');
    expect(overloaded.retryable).toBe(true);
  });

  it('reads an error chunk inside a 200 stream', () => {
    const error = mapGeminiError(fromStreamChunk(recording('error_500_internal.json')), { ...context, midStream: true });
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toMatch(/^gemini: failed mid-stream: An internal error has occurred.* \(HTTP 500\)$/);
  });

  it('keeps a non-JSON body (a proxy page) as the message', () => {
    const error = mapGeminiError(
      fromTextResponse('upstream connect error or disconnect/reset before headers', 502, 'Bad Gateway'),
      context,
    );
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe('gemini: server error: upstream connect error or disconnect/reset before headers (HTTP 502)');
  });

  it('maps a refused connection to ProviderUnavailableError naming the reason', () => {
    const refused = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    const error = mapGeminiError(refused, context);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe('gemini: could not connect: fetch failed: connect ECONNREFUSED 127.0.0.1:9');
  });

  it("maps llmo's own wait running out (an abort the caller did not ask for) to ProviderUnavailableError", () => {
    const timeout = new DOMException('This operation was aborted', 'AbortError');
    const error = mapGeminiError(timeout, { ...context, timeoutMs: 5000 });
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe('gemini: no answer within 5 s');
  });

  it('calls a timeout firing while the answer streams in a cut-off stream', () => {
    const timeout = new DOMException('This operation was aborted', 'AbortError');
    const error = mapGeminiError(timeout, { ...context, timeoutMs: 5000, midStream: true });
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe('gemini: the response was cut off mid-stream: timed out within 5 s');
  });

  it('calls a transport failure after the first chunk a cut-off stream', () => {
    const error = mapGeminiError(new TypeError('terminated', { cause: new Error('other side closed') }), { ...context, midStream: true });
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe('gemini: the response was cut off mid-stream: terminated: other side closed');
  });

  it('never repeats the API key, wherever it turns up', () => {
    const apiKey = 'AIzaSyFAKE-key-0123456789abcdefghijklmn';
    const echoing = new ApiError({
      message: JSON.stringify({ error: { code: 400, message: `bad key ${apiKey}`, status: 'INVALID_ARGUMENT' } }),
      status: 400,
    });
    const error = mapGeminiError(echoing, { ...context, apiKey });
    expect(error.message).toBe('gemini: request rejected: bad key [REDACTED] (HTTP 400)');
    expect(JSON.stringify(error)).not.toContain(apiKey);
    expect(String(error.stack)).not.toContain(apiKey);
  });
});

describe('parseGeminiErrorBody', () => {
  it('returns undefined for text that holds no envelope', () => {
    expect(parseGeminiErrorBody('exception parsing stream chunk')).toBeUndefined();
  });
});

describe('streamCutOffError', () => {
  it('says the response was cut off, and is retryable', () => {
    const error = streamCutOffError('gemini', 'it ended without a finish reason');
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe('gemini: the response was cut off mid-stream: it ended without a finish reason');
    expect(error.retryable).toBe(true);
  });
});
