import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import {
  ConnectionError,
  RequestAbortedError,
  RequestTimeoutError,
  UnexpectedClientError,
} from '@mistralai/mistralai/models/errors/httpclienterrors.js';
import { SDKError } from '@mistralai/mistralai/models/errors/sdkerror.js';
import { describe, expect, it } from 'vitest';
import { BadRequestError, ProviderAuthError, ProviderError, ProviderUnavailableError, RateLimitError } from '../spec.js';
import { extractProviderMessage, mapMistralError, mapMistralStreamError, streamCutOffError } from './mistral-error.js';

const API_KEY = 'mistral-unit-key-8d1f0c2b9e7a';
const context = { provider: 'mistral', apiKey: API_KEY };

function recorded(name: string): string {
  return readFileSync(new URL(`../../../test/fake-providers/recordings/mistral/${name}`, import.meta.url), 'utf8');
}

/** An SDK error exactly as the SDK builds one, its Request carrying the key. */
function sdkError(status: number, body: string, headers: Record<string, string> = {}): SDKError {
  const request = new Request('https://api.mistral.ai/v1/chat/completions', {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}` },
  });
  const response = new Response(body, { status, headers: { 'content-type': 'application/json', ...headers } });
  return new SDKError('API error occurred', { request, response, body });
}

describe('extractProviderMessage', () => {
  it.each([
    ['error_400_invalid_request_message_order.json', "Unexpected role 'system' after role 'assistant'"],
    ['error_401_detail_invalid_api_key.json', 'Invalid API Key'],
    ['error_401_message_request_id.json', 'Unauthorized'],
    ['error_429_rate_limited.json', 'Rate limit exceeded'],
    ['error_500_internal_server_error.json', 'Service unavailable.'],
    ['error_422_validation.json', 'Input should be a valid string; Input should be a valid list'],
  ])('reads %s', (file, message) => {
    expect(extractProviderMessage(recorded(file))).toBe(message);
  });

  it('falls back to the raw text of a body that is not JSON, and to nothing for an empty one', () => {
    expect(extractProviderMessage('upstream connect error\n')).toBe('upstream connect error');
    expect(extractProviderMessage('')).toBeUndefined();
  });
});

describe('mapMistralError', () => {
  it('401 → ProviderAuthError with the message, the correlation id and a hint', () => {
    const error = mapMistralError(
      sdkError(401, recorded('error_401_detail_invalid_api_key.json'), {
        'mistral-correlation-id': '01a01a71-adef-761b-9fa0-bffc7640e912',
        'x-kong-request-id': '01a01a71-adef-761b-9fa0-bffc7640e912',
      }),
      context,
    );
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect(error.message).toBe('mistral: API key rejected: Invalid API Key (HTTP 401, request id 01a01a71-adef-761b-9fa0-bffc7640e912)');
    expect(error).toMatchObject({ status: 401, requestId: '01a01a71-adef-761b-9fa0-bffc7640e912', exitCode: 4 });
    expect(error.hint).toContain('llmo auth');
  });

  it('403 → ProviderAuthError', () => {
    expect(mapMistralError(sdkError(403, '{"detail":"Forbidden"}'), context)).toBeInstanceOf(ProviderAuthError);
  });

  it('never shows the key, even when the SDK error holds it or the body echoes it', () => {
    const error = mapMistralError(sdkError(401, JSON.stringify({ message: `Invalid key ${API_KEY}` })), context);
    const shown = [error.message, error.stack, JSON.stringify(error), inspect(error, { depth: 10 })].join('\n');
    expect(shown).not.toContain(API_KEY);
    expect(error.message).toContain('[REDACTED]');
  });

  it('2025 401 without a correlation id → the request id from the body', () => {
    const error = mapMistralError(
      sdkError(401, recorded('error_401_message_request_id.json'), { 'x-kong-request-id': 'kong-id' }),
      context,
    );
    expect(error.requestId).toBe('696869367bc8da6c8ed65c2e6fcc8216');
  });

  it('429 → RateLimitError with retryAfterMs when a header gives one', () => {
    const error = mapMistralError(sdkError(429, recorded('error_429_rate_limited.json'), { 'retry-after': '2' }), context);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ retryAfterMs: 2000, retryable: true });
    expect(error.message).toContain('Rate limit exceeded');
  });

  it.each([500, 502, 503, 504, 408])('%i → ProviderUnavailableError', (status) => {
    const error = mapMistralError(sdkError(status, recorded('error_500_internal_server_error.json')), context);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ status, retryable: true });
  });

  it.each([400, 404, 413, 422])('%i → BadRequestError', (status) => {
    expect(mapMistralError(sdkError(status, '{"detail":"nope"}'), context)).toBeInstanceOf(BadRequestError);
  });

  it('422 → the pydantic messages and the x-kong request id the recording had', () => {
    const error = mapMistralError(sdkError(422, recorded('error_422_validation.json'), { 'x-kong-request-id': '1494e534' }), context);
    expect(error.message).toBe(
      'mistral: request rejected: Input should be a valid string; Input should be a valid list (HTTP 422, request id 1494e534)',
    );
    expect(error.requestId).toBe('1494e534');
  });

  it('keeps a long or multi-line body to one bounded line', () => {
    const error = mapMistralError(sdkError(502, `<html>\n${'x'.repeat(1000)}\n</html>`), context);
    expect(error.message).not.toContain('\n');
    expect(error.message.length).toBeLessThan(560);
  });

  it('a connection failure → ProviderUnavailableError naming the network cause', () => {
    const socketError = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4'), { code: 'ECONNREFUSED' });
    const error = mapMistralError(
      new ConnectionError('Unable to make request', { cause: new TypeError('fetch failed', { cause: socketError }) }),
      context,
    );
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe('mistral: could not connect: fetch failed: connect ECONNREFUSED 127.0.0.1:4');
    // Not kept as the cause: fetch's errors may quote a header value, and inspect would print it.
    expect(error.cause).toBeUndefined();
  });

  it('a timeout → ProviderUnavailableError saying how long llmo waited', () => {
    const error = mapMistralError(new RequestTimeoutError('Request timed out'), { ...context, timeoutMs: 30_000 });
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe('mistral: no answer within 30 s');
  });

  it('an abort llmo did not ask for, or an unexpected client failure → ProviderUnavailableError', () => {
    expect(mapMistralError(new RequestAbortedError('Request aborted by client'), context)).toBeInstanceOf(ProviderUnavailableError);
    expect(
      mapMistralError(new UnexpectedClientError('Unexpected HTTP client error', { cause: new TypeError('terminated') }), context),
    ).toBeInstanceOf(ProviderUnavailableError);
  });

  it('a request the SDK refused to send → BadRequestError', () => {
    const refused = Object.assign(new Error('Input validation failed: temperature: expected number'), { name: 'SDKValidationError' });
    expect(mapMistralError(refused, context)).toBeInstanceOf(BadRequestError);
  });

  it('a 200 the SDK could not parse → a plain ProviderError', () => {
    const unreadable = Object.assign(sdkError(200, '{"id":1}'), { name: 'ResponseValidationError' });
    const error = mapMistralError(unreadable, context);
    expect(error.constructor).toBe(ProviderError);
    expect(error.message).toBe('mistral: unreadable response (HTTP 200)');
  });
});

describe('mapMistralStreamError', () => {
  const streamContext = { ...context, requestId: 'stream-id' };

  it('a body that stops short → cut off mid-stream, keeping the request id', () => {
    const error = mapMistralStreamError(new TypeError('terminated', { cause: new Error('other side closed') }), streamContext);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe('mistral: the response was cut off mid-stream: terminated: other side closed (request id stream-id)');
    expect(error.requestId).toBe('stream-id');
  });

  it('an event the SDK schema rejects → unreadable, not cut', () => {
    const rejected = Object.assign(new Error('[{"path":["data","id"]}]'), { name: 'ZodError' });
    const error = mapMistralStreamError(rejected, streamContext);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe('mistral: unreadable stream event (request id stream-id)');
  });

  it('a stream that ends cleanly without finish_reason → cut off mid-stream', () => {
    expect(streamCutOffError(streamContext).message).toBe('mistral: the response was cut off mid-stream (request id stream-id)');
  });
});
