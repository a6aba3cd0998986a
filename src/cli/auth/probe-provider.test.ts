import { describe, expect, it } from 'vitest';
import type { ProviderInfo } from '../../config/catalog.js';
import { modelsRequest, probeProvider } from './probe-provider.js';

const provider = (name: string, api: ProviderInfo['api'], baseURL: string): ProviderInfo => ({
  name,
  api,
  apiKeyName: `${name.toUpperCase()}_API_KEY`,
  baseURL,
  defaultModel: undefined,
  headers: {},
  models: [],
});

describe('modelsRequest: each API’s cheapest authenticated call', () => {
  it('builds the list-models request per adapter', () => {
    expect(modelsRequest(provider('openai', 'openai', 'https://api.openai.com/v1/'), 'k', {})).toEqual({
      url: 'https://api.openai.com/v1/models',
      headers: { accept: 'application/json', authorization: 'Bearer k' },
    });
    expect(modelsRequest(provider('anthropic', 'anthropic', 'https://api.anthropic.com'), 'k', {})).toEqual({
      url: 'https://api.anthropic.com/v1/models',
      headers: { accept: 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
    });
    expect(modelsRequest(provider('gemini', 'gemini', 'https://generativelanguage.googleapis.com'), 'k', {}).url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models',
    );
    expect(modelsRequest(provider('gemini', 'gemini', 'x'), 'k', {}).headers['x-goog-api-key']).toBe('k');
    expect(modelsRequest(provider('mistral', 'mistral', 'https://api.mistral.ai'), 'k', {}).url).toBe('https://api.mistral.ai/v1/models');
  });

  it('follows the <PROVIDER>_BASE_URL override', () => {
    expect(
      modelsRequest(provider('deepseek', 'openai', 'https://api.deepseek.com'), 'k', { DEEPSEEK_BASE_URL: 'http://127.0.0.1:9' }).url,
    ).toBe('http://127.0.0.1:9/models');
  });
});

describe('probeProvider', () => {
  it('never prints the key, even when fetch quotes a header value it refuses', async () => {
    // A NUL pasted into a key makes fetch throw 'Headers.append: "Bearer <key>" is an invalid header value'.
    const key = 'sk-pasted\u0000with-a-nul-SECRETPART-0123456789';
    const result = await probeProvider(provider('openai', 'openai', 'http://127.0.0.1:9/v1'), key, {});
    expect(result.outcome).toBe('unreachable');
    expect(result.detail).not.toContain('SECRETPART');
    expect(result.detail).not.toMatch(/[\u0000-\u001f]/);
  });
});
