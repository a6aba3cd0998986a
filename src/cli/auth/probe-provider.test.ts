import { describe, expect, it } from 'vitest';
import type { ProviderInfo } from '../../config/catalog.js';
import { probeProvider } from './probe-provider.js';

const provider = (name: string, api: ProviderInfo['api'], baseURL: string): ProviderInfo => ({
  name,
  api,
  apiKeyName: `${name.toUpperCase()}_API_KEY`,
  baseURL,
  defaultModel: undefined,
  headers: {},
  models: [],
});

describe('probeProvider', () => {
  it.each(['openai', 'anthropic', 'gemini', 'mistral'] as const)(
    'never prints the key through the %s adapter, even when fetch quotes a header value it refuses',
    async (api) => {
      // A NUL pasted into a key makes fetch throw 'Headers.append: "Bearer <key>" is an invalid header value'.
      const key = 'sk-pasted\u0000with-a-nul-SECRETPART-0123456789';
      const result = await probeProvider(provider('work', api, 'http://127.0.0.1:9/v1'), key, {});
      expect(result.outcome).toBe('unreachable');
      expect(result.detail).not.toContain('SECRETPART');
      expect(result.detail).not.toMatch(/[\u0000-\u001f]/);
    },
  );
});
