import { describe, expect, it } from 'vitest';
import { bareMessage, labelled, withProvider } from './describe-error.js';

describe('describing a provider error', () => {
  it('names the provider once', () => {
    expect(withProvider({ provider: 'openai', message: 'openai: 500 server error' })).toBe('openai: 500 server error');
    expect(withProvider({ provider: 'openai', message: 'openai is unavailable: overloaded [HTTP 503]' })).toBe(
      'openai is unavailable: overloaded [HTTP 503]',
    );
    expect(withProvider({ provider: 'anthropic', message: 'Internal server error (HTTP 500)' })).toBe(
      'anthropic: Internal server error (HTTP 500)',
    );
    expect(withProvider({ message: 'no API key for gemini' })).toBe('no API key for gemini');
  });

  it('puts a label before the message without the provider prefix', () => {
    expect(bareMessage({ provider: 'openai', message: 'openai: 500 server error' })).toBe('500 server error');
    expect(labelled('openai:gpt-4o', { provider: 'openai', message: 'openai: 500 server error' })).toBe('openai:gpt-4o: 500 server error');
    expect(labelled('openai:gpt-4o', undefined)).toBe('openai:gpt-4o: no output');
  });
});
