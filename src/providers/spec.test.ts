import { describe, expect, it } from 'vitest';
import { abortErrorFor, formatProviderMessage, redactSecret } from './spec.js';

describe('formatProviderMessage', () => {
  it('reads `<provider>: <what happened>: <vendor words> (HTTP n, request id …)`', () => {
    expect(
      formatProviderMessage({ provider: 'openai', what: 'API key rejected', said: 'Incorrect API key', status: 401, requestId: 'req_1' }),
    ).toBe('openai: API key rejected: Incorrect API key (HTTP 401, request id req_1)');
  });

  it('leaves out what is not known', () => {
    expect(formatProviderMessage({ provider: 'gemini', what: 'server error', status: 503 })).toBe('gemini: server error (HTTP 503)');
    expect(formatProviderMessage({ provider: 'mistral', what: 'the response was cut off mid-stream', requestId: 'abc' })).toBe(
      'mistral: the response was cut off mid-stream (request id abc)',
    );
    expect(formatProviderMessage({ provider: 'x', what: 'request failed', said: '   ' })).toBe('x: request failed');
  });

  it("keeps the vendor's words to one bounded line", () => {
    const message = formatProviderMessage({
      provider: 'p',
      what: 'server error',
      said: `<html>\n${'x'.repeat(2000)}\n</html>`,
      status: 502,
    });
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(540);
    expect(message.endsWith('… (HTTP 502)')).toBe(true);
  });

  it('never shows the key, however the vendor echoed it', () => {
    const apiKey = 'sk-live-0123456789abcdef';
    expect(formatProviderMessage({ provider: 'p', what: 'API key rejected', said: `bad key ${apiKey}`, apiKey })).toBe(
      'p: API key rejected: bad key [REDACTED]',
    );
  });
});

describe('redactSecret', () => {
  const apiKey = 'sk-first-HALF\nsecond-HALF-0123';

  it('removes the key as given, and as one line of text would show it', () => {
    expect(redactSecret(`got ${apiKey}`, apiKey)).toBe('got [REDACTED]');
    expect(redactSecret(`got ${apiKey.replace('\n', ' ')}`, apiKey)).toBe('got [REDACTED]');
  });

  it('removes a header value fetch quotes back, and bearer tokens, whatever the key', () => {
    expect(redactSecret('Headers.append: "sk-abc\ndef" is an invalid header value.')).toBe(
      'Headers.append: "[REDACTED]" is an invalid header value.',
    );
    expect(redactSecret('header was "Bearer sk-other-token")')).toBe('header was "Bearer [REDACTED]")');
  });

  it('leaves text alone for placeholder keys too short to be real', () => {
    expect(redactSecret('none of this is secret', 'no')).toBe('none of this is secret');
  });
});

describe('abortErrorFor', () => {
  it("passes the caller's own AbortError on", () => {
    const controller = new AbortController();
    controller.abort();
    expect(abortErrorFor(controller.signal)).toBe(controller.signal.reason);
  });

  it('names any other reason AbortError, keeping the reason as the cause', () => {
    const controller = new AbortController();
    const reason = new Error('Ctrl-C');
    controller.abort(reason);
    expect(abortErrorFor(controller.signal)).toMatchObject({ name: 'AbortError', cause: reason });
    const withString = new AbortController();
    withString.abort('timeout');
    expect(abortErrorFor(withString.signal)).toMatchObject({ name: 'AbortError', cause: 'timeout' });
  });
});
