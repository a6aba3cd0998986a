import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai/core/error';
import { describe, expect, it } from 'vitest';
import { BadRequestError, ProviderAuthError, ProviderError, ProviderUnavailableError, RateLimitError } from '../spec.js';
import { normalizeOpenAIErrorBody, requestIdFrom, streamCutError, toProviderError } from './openai-error.js';
import { readRecording } from './openai-recordings.test-support.js';

const KEY = 'sk-proj-THISISTHEREALKEY0123456789';
const openai = { provider: 'openai', apiKey: KEY, baseURL: 'https://api.openai.com/v1' };

/** What the SDK builds for a non-2xx response (it parses any JSON body, whatever its content type). */
function statusError(status: number, bodyText: string, headers: Record<string, string> = {}): APIError {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    json = undefined;
  }
  return APIError.generate(status, normalizeOpenAIErrorBody(json) as object, json ? undefined : bodyText, new Headers(headers));
}

describe('toProviderError with recorded error bodies', () => {
  it('401 invalid_api_key → ProviderAuthError with the vendor message and request id', () => {
    const error = toProviderError(
      statusError(401, readRecording('openai', 'error_401_invalid_api_key.json'), { 'x-request-id': 'req_9687' }),
      openai,
    );
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect(error.exitCode).toBe(4);
    expect(error.status).toBe(401);
    expect(error.requestId).toBe('req_9687');
    expect(error.message).toBe(
      'openai: API key rejected: Incorrect API key provided: bad-key-**********test. You can find your API key at https://platform.openai.com/account/api-keys. (HTTP 401, request id req_9687)',
    );
    expect(error.retryable).toBe(false);
  });

  it('DeepSeek 401 authentication_error → ProviderAuthError, request id from x-ds-trace-id', () => {
    const error = toProviderError(
      statusError(401, readRecording('deepseek', 'error_401_authentication_fails.json'), { 'x-ds-trace-id': '4594b633' }),
      { provider: 'deepseek', apiKey: KEY },
    );
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect(error.requestId).toBe('4594b633');
    expect(error.message).toContain('Authentication Fails, Your api key: ****-key is invalid');
  });

  it('429 rate_limit_exceeded → RateLimitError, without retryAfterMs when no header says so (as recorded)', () => {
    const error = toProviderError(statusError(429, readRecording('openai', 'error_429_rate_limit_exceeded_tokens.json')), openai);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryable).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBeUndefined();
    expect(error.message).toContain('Request too large for gpt-5-nano');
  });

  it('429 honours retry-after-ms before retry-after', () => {
    const error = toProviderError(
      statusError(429, readRecording('openai', 'error_429_rate_limit_exceeded_tokens.json'), {
        'retry-after-ms': '250',
        'retry-after': '7',
      }),
      openai,
    );
    expect((error as RateLimitError).retryAfterMs).toBe(250);
  });

  it('429 insufficient_quota → RateLimitError with a billing hint', () => {
    const error = toProviderError(statusError(429, readRecording('openai', 'error_429_insufficient_quota.json')), openai);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.hint).toMatch(/quota/);
  });

  it('500 server_error → ProviderUnavailableError', () => {
    const error = toProviderError(statusError(500, readRecording('openai', 'error_500_server_error.json')), openai);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^openai: server error: An error occurred while processing your request.*\(HTTP 500/);
  });

  it.each([502, 503, 529, 408])('%i → ProviderUnavailableError', (status) => {
    expect(toProviderError(statusError(status, ''), openai)).toBeInstanceOf(ProviderUnavailableError);
  });

  it('400 → BadRequestError', () => {
    const error = toProviderError(statusError(400, readRecording('openai', 'error_400_invalid_function_parameters.json')), openai);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.exitCode).toBe(5);
  });

  it('DeepSeek 400 context length (sent as application/octet-stream) → BadRequestError with its message', () => {
    const error = toProviderError(statusError(400, readRecording('deepseek', 'error_400_context_length_octet_stream.json')), {
      provider: 'deepseek',
    });
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toContain("This model's maximum context length is 1048565 tokens");
  });

  it('404 model_not_found → BadRequestError with a hint about the model name', () => {
    const error = toProviderError(statusError(404, readRecording('openai', 'error_404_model_not_found_stream_request.json')), openai);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toContain('The model `this-model-does-not-exist-12345` does not exist');
    expect(error.hint).toMatch(/llmo models/);
  });

  it('DeepSeek 422 plain text → BadRequestError carrying the text', () => {
    const error = toProviderError(statusError(422, readRecording('deepseek', 'error_422_plain_text.txt')), { provider: 'deepseek' });
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toBe(
      'deepseek: request rejected: Failed to deserialize the JSON body into the target type: messages[0]: data did not match any variant of untagged enum ChatCompletionRequestContent at line 1 column 96 (HTTP 422)',
    );
  });

  it('an error with no body still says what happened', () => {
    expect(toProviderError(statusError(502, ''), openai).message).toBe('openai: server error (HTTP 502)');
  });
});

describe('toProviderError for errors without an HTTP status', () => {
  it('the recorded mid-stream server_error frame → ProviderUnavailableError', () => {
    const frame = readRecording('openai', 'stream_midstream_error.sse')
      .split('\n')
      .find((line) => line.startsWith('data: {"error"'));
    const body = JSON.parse(frame!.slice('data: '.length)) as { error: object };
    const error = toProviderError(new APIError(undefined, body.error, undefined, new Headers({ 'x-request-id': 'req_mid' })), openai);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe(
      'openai: failed mid-stream: The server had an error while processing your request. Sorry about that! (request id req_mid)',
    );
    expect(error.requestId).toBe('req_mid');
  });

  it.each([
    [{ message: 'slow down', type: 'tokens', code: 'rate_limit_exceeded' }, RateLimitError],
    [{ message: 'bad key', type: 'authentication_error' }, ProviderAuthError],
    [{ message: 'too long', type: 'invalid_request_error' }, BadRequestError],
    [{ message: 'Rate limit exceeded upstream', code: 429 }, RateLimitError],
    [{ message: 'Provider returned error', code: 502 }, ProviderUnavailableError],
    [{ message: 'something odd' }, ProviderUnavailableError],
  ])('classifies %j by its type and code', (body, expected) => {
    expect(toProviderError(new APIError(undefined, body, undefined, new Headers()), openai)).toBeInstanceOf(expected);
  });

  it('a refused connection → ProviderUnavailableError naming the host and the cause', () => {
    const cause = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:11434'), { code: 'ECONNREFUSED' }),
    });
    const error = toProviderError(new APIConnectionError({ cause }), {
      provider: 'ollama',
      baseURL: 'http://user:secret@127.0.0.1:11434/v1?token=abc',
    });
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe('ollama: could not connect to 127.0.0.1:11434: fetch failed: connect ECONNREFUSED 127.0.0.1:11434');
    expect(error.message).not.toContain('secret');
  });

  it('a timeout → ProviderUnavailableError', () => {
    const error = toProviderError(new APIConnectionTimeoutError(), { provider: 'openai', timeoutMs: 30_000 });
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe('openai: no answer within 30 s');
  });

  it('leaves a ProviderError as it is, and wraps anything else without claiming it is retryable', () => {
    const existing = new BadRequestError('x', { provider: 'openai' });
    expect(toProviderError(existing, openai)).toBe(existing);
    const other = toProviderError(new RangeError('boom'), openai);
    expect(other.constructor).toBe(ProviderError);
    expect(other.retryable).toBe(false);
  });
});

describe('the API key never leaks', () => {
  it('is redacted when a server echoes it, in message, stack and JSON', () => {
    const body = JSON.stringify({ error: { message: `Invalid key ${KEY} (header was "Bearer ${KEY}")` } });
    const error = toProviderError(statusError(401, body, { 'x-request-id': 'req_1' }), openai);
    expect(error.message).toBe(
      'openai: API key rejected: Invalid key [REDACTED] (header was "Bearer [REDACTED]") (HTTP 401, request id req_1)',
    );
    for (const text of [error.message, error.stack ?? '', JSON.stringify(error), String(error.hint)]) {
      expect(text).not.toContain(KEY);
    }
    // The SDK error holds the raw body; it is not kept as the cause.
    expect(error.cause).toBeUndefined();
  });
});

describe('requestIdFrom', () => {
  it("reads OpenAI's x-request-id, else DeepSeek's x-ds-trace-id", () => {
    expect(requestIdFrom(new Headers({ 'x-request-id': 'req_1', 'x-ds-trace-id': 'ds' }))).toBe('req_1');
    expect(requestIdFrom(new Headers({ 'x-ds-trace-id': 'ds' }))).toBe('ds');
    expect(requestIdFrom(new Headers())).toBeUndefined();
    expect(requestIdFrom(undefined)).toBeUndefined();
  });
});

describe('normalizeOpenAIErrorBody', () => {
  it.each([
    [{ error: { message: 'm', type: 't' } }, { error: { message: 'm', type: 't' } }],
    [{ error: 'model "x" not found, try pulling it first' }, { error: { message: 'model "x" not found, try pulling it first' } }],
    [
      { object: 'error', message: 'flat', type: 'BadRequestError', code: 400 },
      { error: { object: 'error', message: 'flat', type: 'BadRequestError', code: 400 } },
    ],
    [{ detail: 'Not Found' }, { error: { message: 'Not Found' } }],
    [{ detail: [{ msg: 'field required' }] }, { error: { message: '[{"msg":"field required"}]' } }],
    [undefined, undefined],
  ])('%j → %j', (body, expected) => {
    expect(normalizeOpenAIErrorBody(body)).toEqual(expected);
  });
});

describe('streamCutError', () => {
  it('says the response was cut off, with the transport detail and request id', () => {
    const cause = Object.assign(new TypeError('terminated'), { cause: new Error('other side closed') });
    const error = streamCutError(cause, openai, 'req_7');
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe('openai: the response was cut off mid-stream: terminated: other side closed (request id req_7)');
    expect(error.requestId).toBe('req_7');
  });

  it('names a malformed chunk', () => {
    expect(streamCutError(new SyntaxError('Unexpected token'), openai, undefined).message).toBe(
      'openai: the response was cut off mid-stream: a chunk was not valid JSON: Unexpected token',
    );
  });
});
