import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../config/catalog.js';
import { packageRoot } from '../config/paths.js';
import { parseYaml } from '../config/yaml-file.js';
import { ConfigError } from '../errors.js';
import { closeMatches } from '../config/closest-match.js';
import { baseURLFor, endpointOf, resolveModelRef } from './registry.js';

const catalog = buildCatalog([
  parseYaml('models.yaml', readFileSync(`${packageRoot()}/models.yaml`, 'utf8')),
  parseYaml('user.yaml', 'ollama:\n  models:\n    - name: "llama3.2:3b"\n      aliases: [small]\n'),
]);

describe('resolveModelRef', () => {
  it.each([
    ['anthropic:claude-sonnet-5-5', 'anthropic', 'claude-sonnet-5-5'],
    ['sonnet', 'anthropic', 'claude-sonnet-5-5'],
    ['gpt-4o-mini', 'openai', 'gpt-4o-mini'],
    ['openai:luna', 'openai', 'gpt-6-luna'],
    ['deepseek', 'deepseek', 'deepseek-chat'],
    ['ollama:llama3.2:3b', 'ollama', 'llama3.2:3b'],
    ['llama3.2:3b', 'ollama', 'llama3.2:3b'],
    ['small', 'ollama', 'llama3.2:3b'],
  ])('%s → %s:%s', (ref, provider, model) => {
    const resolved = resolveModelRef(catalog, ref);
    expect([resolved.provider.name, resolved.modelId]).toEqual([provider, model]);
    expect(resolved.info).toBeDefined();
  });

  it('passes a model its provider does not list through, without info', () => {
    const resolved = resolveModelRef(catalog, 'openai:gpt-7-preview');
    expect(resolved.modelId).toBe('gpt-7-preview');
    expect(resolved.info).toBeUndefined();
  });

  it('refuses unknown names with close matches', () => {
    expect(() => resolveModelRef(catalog, 'sonet')).toThrowError(ConfigError);
    expect(() => resolveModelRef(catalog, 'sonet')).toThrow(/did you mean sonnet/);
    expect(() => resolveModelRef(catalog, 'antropic:claude-sonnet-5-5')).toThrow(/unknown provider "antropic".*anthropic/);
    expect(() => resolveModelRef(catalog, 'zzzzzzzz')).toThrow(/^unknown model or alias "zzzzzzzz"$/);
  });

  it('refuses a bare model name two providers list, naming both', () => {
    const both = buildCatalog([
      parseYaml('models.yaml', readFileSync(`${packageRoot()}/models.yaml`, 'utf8')),
      parseYaml('user.yaml', 'work:\n  base_url: http://proxy.local/v1\n  models: [gpt-4o-mini]\n'),
    ]);
    expect(() => resolveModelRef(both, 'gpt-4o-mini')).toThrowError(ConfigError);
    expect(() => resolveModelRef(both, 'gpt-4o-mini')).toThrow(/^"gpt-4o-mini" is a model of openai and work; say which$/);
    expect(resolveModelRef(both, 'work:gpt-4o-mini').provider.name).toBe('work');
    expect(resolveModelRef(both, '4o-mini').provider.name).toBe('openai');
  });

  it('says the model name is missing from "provider:"', () => {
    expect(() => resolveModelRef(catalog, 'openai:')).toThrowError(ConfigError);
    expect(() => resolveModelRef(catalog, 'openai:')).toThrow(/^"openai:" names no model after the provider$/);
  });

  it('ranks the closest matches first', () => {
    expect(closeMatches('gemni', ['gemini', 'mistral', 'openai'])).toEqual(['gemini']);
  });
});

describe('baseURLFor', () => {
  it('lets <PROVIDER>_BASE_URL override models.yaml', () => {
    const deepseek = catalog.providers.get('deepseek')!;
    expect(baseURLFor(deepseek, {})).toBe('https://api.deepseek.com');
    expect(baseURLFor(deepseek, { DEEPSEEK_BASE_URL: 'http://127.0.0.1:9/' })).toBe('http://127.0.0.1:9/');
  });
});

describe('endpointOf', () => {
  const withUserProvider = buildCatalog([
    parseYaml('models.yaml', readFileSync(`${packageRoot()}/models.yaml`, 'utf8')),
    parseYaml('user.yaml', 'myllm:\n  api: openai\n  models: [tiny-1]\n'),
  ]);
  const myllm = withUserProvider.providers.get('myllm')!;

  it("refuses a user provider without base_url rather than sending it to the vendor's endpoint", () => {
    expect(() => endpointOf(myllm, {})).toThrowError(ConfigError);
    expect(() => endpointOf(myllm, {})).toThrow(/provider "myllm" has no base_url/);
    expect(endpointOf(myllm, { MYLLM_BASE_URL: 'http://127.0.0.1:9/v1' })).toBe('http://127.0.0.1:9/v1');
  });

  it("lets a provider named after its adapter use the vendor's own endpoint", () => {
    const bare = buildCatalog([parseYaml('user.yaml', 'openai:\n  models: [gpt-x]\n')]);
    expect(endpointOf(bare.providers.get('openai')!, {})).toBeUndefined();
  });
});
