import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../errors.js';
import {
  connectionError,
  describeCause,
  formatDuration,
  httpProviderError,
  kindOfStatus,
  noKeyError,
  parseRetryAfterMs,
  retryInfoDelayMs,
  streamCutError,
  timeoutError,
} from './provider-errors.js';
import { BadRequestError, ProviderAuthError, ProviderError, ProviderUnavailableError, RateLimitError, redactSecret } from './spec.js';

describe('httpProviderError', () => {
  it.each([
    [401, ProviderAuthError],
    [403, ProviderAuthError],
    [429, RateLimitError],
    [408, ProviderUnavailableError],
    [409, ProviderUnavailableError],
    [500, ProviderUnavailableError],
    [529, ProviderUnavailableError],
    [400, BadRequestError],
    [404, BadRequestError],
    [413, BadRequestError],
    [422, BadRequestError],
    [402, ProviderError],
  ])('HTTP %i → %o', (status, expected) => {
    expect(httpProviderError({ provider: 'work', status }).constructor).toBe(expected);
  });

  it('words every failure one way, keeps the vendor words, status, request id and headers', () => {
    const headers = new Headers({ 'retry-after': '2', 'x-request-id': 'req_9' });
    const error = httpProviderError({ provider: 'work', status: 429, said: 'Slow\n down', requestId: 'req_9', headers });
    expect(error.message).toBe('work: rate limit reached: Slow down (HTTP 429, request id req_9)');
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(2000);
    expect(error.retryable).toBe(true);
    expect(error.providerMessage).toBe('Slow\n down');
    expect(error.responseHeaders?.get('x-request-id')).toBe('req_9');
    expect(error.exitCode).toBe(ExitCode.provider);
  });

  it('a wait the body gives wins over the headers; the vendor may say a retry cannot help', () => {
    const error = httpProviderError({ provider: 'g', status: 429, retryAfterMs: 48_000, headers: new Headers({ 'retry-after': '1' }) });
    expect((error as RateLimitError).retryAfterMs).toBe(48_000);
    expect(httpProviderError({ provider: 'a', status: 500, retryable: false }).retryable).toBe(false);
  });

  it('a rejected key is exit 4 with the auth hint; a 404 names the model as the likely cause', () => {
    const auth = httpProviderError({ provider: 'work', status: 401 });
    expect(auth.exitCode).toBe(ExitCode.auth);
    expect(auth.hint).toContain('llmo auth add work');
    expect(httpProviderError({ provider: 'work', status: 404 }).hint).toContain('check the model name');
  });

  it('an error event inside a stream has no status: the kind decides, and says mid-stream', () => {
    const error = httpProviderError({ provider: 'work', status: undefined, kind: 'unavailable', said: 'Overloaded', midStream: true });
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe('work: failed mid-stream: Overloaded');
  });

  it('never lets the key through', () => {
    const apiKey = 'sk-SECRETSECRETSECRET';
    const error = httpProviderError({ provider: 'work', status: 401, said: `bad key ${apiKey}`, apiKey });
    expect(`${error.message} ${JSON.stringify(error)} ${inspect(error)}`).not.toContain('SECRET');
  });
});

describe('kindOfStatus', () => {
  it('sorts the statuses', () => {
    expect([401, 429, 503, 422, 302].map(kindOfStatus)).toEqual(['auth', 'rate-limit', 'unavailable', 'bad-request', 'other']);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-08-11T23:46:00Z');
  const headers = (entries: Record<string, string>) => new Headers(entries);

  it('prefers retry-after-ms', () => {
    expect(parseRetryAfterMs(headers({ 'retry-after-ms': '1500', 'retry-after': '65' }))).toBe(1500);
    expect(parseRetryAfterMs(headers({ 'retry-after-ms': '0' }))).toBe(0);
  });

  it('reads retry-after in seconds', () => {
    expect(parseRetryAfterMs(headers({ 'retry-after': '65' }))).toBe(65_000);
    expect(parseRetryAfterMs(headers({ 'retry-after': '0.5' }))).toBe(500);
  });

  it('reads retry-after as an HTTP date, never negative', () => {
    expect(parseRetryAfterMs(headers({ 'retry-after': 'Mon, 11 Aug 2025 23:46:30 GMT' }), now)).toBe(30_000);
    expect(parseRetryAfterMs(headers({ 'retry-after': 'Mon, 11 Aug 2025 23:40:00 GMT' }), now)).toBe(0);
  });

  it('is undefined when absent or unreadable', () => {
    expect(parseRetryAfterMs(headers({}))).toBeUndefined();
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
    expect(parseRetryAfterMs(null)).toBeUndefined();
    expect(parseRetryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfterMs(headers({ 'retry-after-ms': '-5', 'retry-after': '2' }))).toBe(2000);
  });
});

describe('retryInfoDelayMs', () => {
  const retryInfo = (retryDelay: unknown) => [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }];

  it("reads Google's RetryInfo", () => {
    expect(retryInfoDelayMs(retryInfo('48s'))).toBe(48_000);
    expect(retryInfoDelayMs(retryInfo('1.5s'))).toBe(1500);
  });

  it('is undefined without RetryInfo or with a delay it cannot read', () => {
    expect(retryInfoDelayMs(undefined)).toBeUndefined();
    expect(retryInfoDelayMs([{ '@type': 'type.googleapis.com/google.rpc.Help' }])).toBeUndefined();
    expect(retryInfoDelayMs(retryInfo('soon'))).toBeUndefined();
    expect(retryInfoDelayMs(retryInfo(48))).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('names milliseconds under a second, else seconds to a tenth', () => {
    expect([250, 1000, 1500, 300_000, 1234].map(formatDuration)).toEqual(['250 ms', '1 s', '1.5 s', '300 s', '1.2 s']);
  });
});

describe('the transport failures', () => {
  it('a refused connection names the host (never its credentials) and the socket reason', () => {
    const socketError = new Error('connect ECONNREFUSED 127.0.0.1:9');
    const error = connectionError('work', new TypeError('fetch failed', { cause: socketError }), {
      baseURL: 'http://user:pw@127.0.0.1:9/v1',
    });
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe('work: could not connect to 127.0.0.1:9: fetch failed: connect ECONNREFUSED 127.0.0.1:9');
    expect(error.hint).toContain('base URL');
  });

  it('a timeout names the limit', () => {
    expect(timeoutError('work', 5000).message).toBe('work: no answer within 5 s');
    expect(timeoutError('work', undefined).message).toBe('work: no answer (timed out)');
  });

  it('a cut stream is retryable and says what broke it', () => {
    const cut = streamCutError({
      provider: 'work',
      requestId: 'req_1',
      cause: new TypeError('terminated', { cause: new Error('other side closed') }),
    });
    expect(cut.message).toBe('work: the response was cut off mid-stream: terminated: other side closed (request id req_1)');
    expect(cut.retryable).toBe(true);
    expect(streamCutError({ provider: 'work', cause: new SyntaxError('Unexpected token') }).message).toContain(
      'a chunk was not valid JSON',
    );
    expect(streamCutError({ provider: 'work' }).message).toBe('work: the response was cut off mid-stream');
  });

  it('no key is an auth error (exit 4) that says how to add one', () => {
    const error = noKeyError('work');
    expect(error.message).toBe('work: no API key');
    expect(error.exitCode).toBe(ExitCode.auth);
    expect(error.hint).toContain('llmo auth add work');
  });

  it('describeCause joins the outer and the deepest message', () => {
    expect(describeCause(new Error('a', { cause: new Error('b', { cause: new Error('c') }) }))).toBe('a: c');
    expect(describeCause('text')).toBe('text');
    expect(describeCause(new Error(''))).toBeUndefined();
  });
});

describe('redactSecret', () => {
  it('replaces every occurrence, and leaves implausibly short keys alone', () => {
    expect(redactSecret('a sk-ant-XYZ12345 b sk-ant-XYZ12345', 'sk-ant-XYZ12345')).toBe('a [REDACTED] b [REDACTED]');
    expect(redactSecret('a b c', 'a')).toBe('a b c');
    expect(redactSecret('text', undefined)).toBe('text');
  });
});
