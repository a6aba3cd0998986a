/**
 * `llmo models --remote [PROVIDER]`: what each provider's endpoint serves for the key, asked
 * through its adapter (the built CLI, the real SDKs, the fake providers' recorded model lists).
 */
import { describe, expect, it } from 'vitest';
import { useE2e } from './helpers/e2e.js';

const KEYS = {
  OPENAI_API_KEY: 'sk-test-openai-0123456789abcdef',
  ANTHROPIC_API_KEY: 'sk-ant-test-0123456789abcdef',
  GEMINI_API_KEY: 'AIza-test-0123456789abcdef',
  MISTRAL_API_KEY: 'mistral-test-0123456789abcdef',
  DEEPSEEK_API_KEY: 'sk-test-deepseek-0123456789abcdef',
};

const e2e = useE2e({ providers: ['openai', 'anthropic', 'gemini', 'mistral', 'deepseek'], home: 'file' });

describe('llmo models --remote', () => {
  it.each(['openai', 'anthropic', 'gemini', 'mistral', 'deepseek'] as const)(
    'lists what %s serves, through its adapter',
    async (provider) => {
      const result = await e2e.run(['models', '--remote', provider, '--json'], { env: KEYS });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const rows = JSON.parse(result.stdout) as { provider: string; id: string; ref: string }[];
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.provider).toBe(provider);
        expect(row.ref).toBe(`${provider}:${row.id}`);
        // Gemini's `models/` prefix is the adapter's business, not the user's.
        expect(row.id).not.toMatch(/^models\//);
      }
      expect(e2e.fake.requestsFor(provider).at(-1)?.method).toBe('GET');
    },
  );

  it('prints a table, and refuses an unknown provider with exit 3', async () => {
    const table = await e2e.run(['models', '--remote', 'openai'], { env: KEYS });
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^MODEL\s+NAME\s+CREATED\s+CONTEXT\s+IN MODELS\.YAML$/);
    const unknown = await e2e.run(['models', '--remote', 'opnai'], { env: KEYS });
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('unknown provider "opnai"; did you mean openai?');
  });

  it('says which key is missing for a named provider (exit 4)', async () => {
    const result = await e2e.run(['models', '--remote', 'openai'], { env: { ...KEYS, OPENAI_API_KEY: undefined } });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('no API key for openai');
  });
});
