import { inspect } from 'node:util';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk/core/error';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../errors.js';
import { BadRequestError, ProviderAuthError, ProviderError, ProviderUnavailableError, RateLimitError } from '../spec.js';
import { readRecordedEvents, sdkErrorFromRecording } from './anthropic-recordings.test-support.js';
import { mapAnthropicError, streamCutOffError } from './anthropic-error.js';

const context = { provider: 'anthropic' };

describe('mapAnthropicError on the recorded error responses', () => {
  it('401 authentication_error → ProviderAuthError with the message and the body request_id', () => {
    const error = mapAnthropicError(sdkErrorFromRecording('error_401_authentication_error.json'), context);
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect(error.exitCode).toBe(ExitCode.auth);
    expect(error.status).toBe(401);
    // The recorder replaced the request-id header by a placeholder, so the body's request_id is used.
    expect(error.requestId).toBe('req_011CeCGmBjaWkq37Sf5iU7so');
    expect(error.message).toBe('anthropic: API key rejected: invalid x-api-key (HTTP 401, request id req_011CeCGmBjaWkq37Sf5iU7so)');
    expect(error.hint).toContain('llmo auth');
    expect(error.retryable).toBe(false);
  });

  it('400 invalid_request_error (prompt too long) → BadRequestError', () => {
    const error = mapAnthropicError(sdkErrorFromRecording('error_400_prompt_too_long.json'), context);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toContain('prompt is too long: 3333404 tokens > 200000 maximum');
    expect(error.retryable).toBe(false);
  });

  it('404 not_found_error → BadRequestError with the request-id header', () => {
    const error = mapAnthropicError(sdkErrorFromRecording('error_404_not_found_stream_request.json'), context);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.requestId).toBe('req_011CXZKqu9Dox1Y37WKaUP9W');
    expect(error.message).toContain('model: invalid-model-that-does-not-exist-12345');
  });

  it('429 rate_limit_error → RateLimitError with retry-after in milliseconds', () => {
    const error = mapAnthropicError(sdkErrorFromRecording('error_429_rate_limit_retry_after.json'), context);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(65_000);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('This request would exceed the rate limit');
  });

  it.each([
    // The recorded 500 carries x-should-retry: false, and Anthropic knows best; the 529 says true.
    ['error_500_api_error.json', 500, 'Internal server error', false],
    ['error_529_overloaded.json', 529, 'Overloaded', true],
  ])('%s → ProviderUnavailableError', (file, status, message, retryable) => {
    const error = mapAnthropicError(sdkErrorFromRecording(file), context);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.status).toBe(status);
    expect(error.message).toContain(message);
    expect(error.requestId).toMatch(/^req_/);
    expect(error.retryable).toBe(retryable);
    expect(error.exitCode).toBe(ExitCode.provider);
  });

  it("the edge proxy's text/plain 503 → ProviderUnavailableError with the proxy's text", () => {
    const error = mapAnthropicError(sdkErrorFromRecording('error_503_upstream_reset_text_plain.txt'), context);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe(
      'anthropic: server error: upstream connect error or disconnect/reset before headers. reset reason: connection termination (HTTP 503)',
    );
    expect(error.requestId).toBeUndefined();
  });

  it('an overloaded_error event inside a 200 stream → ProviderUnavailableError', () => {
    const [recorded] = readRecordedEvents('stream_error_event_overloaded.sse');
    // Built the way the SDK's stream builds it: no status, the stream response's headers.
    const sdkError = new APIError(undefined, recorded?.data, undefined, new Headers({ 'request-id': 'req_stream' }));
    const error = mapAnthropicError(sdkError, { ...context, midStream: true });
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe('anthropic: failed mid-stream: Overloaded (request id req_stream)');
    expect(error.status).toBeUndefined();
  });
});

describe('mapAnthropicError on other failures', () => {
  const streamEvent = (type: string) =>
    new APIError(undefined, { type: 'error', error: { type, message: `a ${type}` } }, undefined, new Headers());

  it.each([
    ['authentication_error', ProviderAuthError],
    ['permission_error', ProviderAuthError],
    ['rate_limit_error', RateLimitError],
    ['api_error', ProviderUnavailableError],
    ['timeout_error', ProviderUnavailableError],
    ['invalid_request_error', BadRequestError],
    ['billing_error', ProviderError],
  ])('a %s stream event → %o', (type, expected) => {
    const error = mapAnthropicError(streamEvent(type), context);
    expect(error.constructor).toBe(expected);
  });

  it.each([
    [403, ProviderAuthError],
    [408, ProviderUnavailableError],
    [413, BadRequestError],
    [422, BadRequestError],
    [402, ProviderError],
    [502, ProviderUnavailableError],
  ])('HTTP %i → %o', (status, expected) => {
    const body = { type: 'error', error: { type: 'some_error', message: 'm' } };
    const error = mapAnthropicError(APIError.generate(status, body, undefined, new Headers()), context);
    expect(error.constructor).toBe(expected);
  });

  it('a refused connection names the socket reason', () => {
    const socketError = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const sdkError = new APIConnectionError({ cause: new TypeError('fetch failed', { cause: socketError }) });
    const error = mapAnthropicError(sdkError, context);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe('anthropic: could not connect: fetch failed: connect ECONNREFUSED 127.0.0.1:9');
  });

  it('a timeout names the limit', () => {
    const error = mapAnthropicError(new APIConnectionTimeoutError(), { ...context, timeoutMs: 5000 });
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe('anthropic: no answer within 5 s');
  });

  it('passes a ProviderError through and wraps anything else as a ProviderError', () => {
    const already = new BadRequestError('x', { provider: 'anthropic' });
    expect(mapAnthropicError(already, context)).toBe(already);
    const other = mapAnthropicError(new Error('Streaming is required for long requests'), context);
    expect(other.constructor).toBe(ProviderError);
    expect(other.message).toBe('anthropic: unexpected failure: Streaming is required for long requests');
  });

  it('never lets the key through, even if a server echoes it', () => {
    const apiKey = 'sk-ant-api03-SECRETSECRETSECRET';
    const body = { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${apiKey}` } };
    const error = mapAnthropicError(APIError.generate(401, body, undefined, new Headers()), { ...context, apiKey });
    expect(error.message).toContain('invalid x-api-key [REDACTED]');
    expect(error.message).not.toContain('SECRET');
    expect(JSON.stringify(error)).not.toContain('SECRET');
  });

  it('keeps the stack and inspect output free of the key for a recorded 401', () => {
    const apiKey = 'sk-ant-api03-NOTINTHEERROR';
    const error = mapAnthropicError(sdkErrorFromRecording('error_401_authentication_error.json'), { ...context, apiKey });
    expect(`${error.stack} ${JSON.stringify(error)} ${inspect(error, { depth: 10 })}`).not.toContain('NOTINTHEERROR');
  });
});

describe('streamCutOffError', () => {
  it('says the response was cut off, with the socket reason when there is one', () => {
    expect(streamCutOffError('anthropic', undefined).message).toBe('anthropic: the response was cut off mid-stream');
    const cut = streamCutOffError('anthropic', 'req_1', new TypeError('terminated', { cause: new Error('other side closed') }));
    expect(cut).toBeInstanceOf(ProviderUnavailableError);
    expect(cut.message).toBe('anthropic: the response was cut off mid-stream: terminated: other side closed (request id req_1)');
    expect(cut.requestId).toBe('req_1');
  });
});
