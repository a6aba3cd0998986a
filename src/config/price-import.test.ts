import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildCatalog } from './catalog.js';
import { applyPriceOverlay, pricesFromLiteLLM } from './price-import.js';
import { parseYaml } from './yaml-file.js';

/** A byte-faithful excerpt of LiteLLM's model_prices_and_context_window.json. */
const excerpt = JSON.parse(readFileSync(new URL('../../test/fixtures/litellm-model-prices-excerpt.json', import.meta.url), 'utf8'));

const catalog = (yaml: string) => buildCatalog([parseYaml('models.yaml', yaml)]);

describe('pricesFromLiteLLM', () => {
  it('turns per-token prices into per-1M prices for the models llmo knows, by bare name or provider/name, same provider only', () => {
    const known = catalog(
      'anthropic:\n  models:\n    - name: claude-haiku-4-5\n      pricing: { input: 0.8, output: 4 }\n' +
        'deepseek:\n  models:\n    - name: deepseek-chat\n' +
        'mistral:\n  models:\n    - name: codestral-latest\n',
    );
    const changes = pricesFromLiteLLM(excerpt, known);
    expect(changes).toEqual([
      {
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
        entry: 'claude-haiku-4-5',
        before: { input: 0.8, output: 4 },
        after: { input: 1, output: 5, cachedInput: 0.1, cacheWrite: 1.25 },
      },
      {
        provider: 'deepseek',
        model: 'deepseek-chat',
        entry: 'deepseek/deepseek-chat',
        before: undefined,
        after: { input: 0.28, output: 0.42, cachedInput: 0.028 },
      },
    ]);
  });

  it('leaves out models whose prices already match, and adds a model the user names', () => {
    const known = catalog(
      'anthropic:\n  models:\n    - name: claude-haiku-4-5\n      pricing: { input: 1, output: 5, cached_input: 0.1, cache_write: 1.25 }\n',
    );
    expect(pricesFromLiteLLM(excerpt, known)).toEqual([]);
    expect(pricesFromLiteLLM(excerpt, known, [{ provider: 'anthropic', model: 'claude-3-haiku-20240307' }])).toMatchObject([
      { model: 'claude-3-haiku-20240307', after: { input: 0.25, output: 1.25, cachedInput: 0.03, cacheWrite: 0.3 } },
    ]);
  });
});

describe('applyPriceOverlay', () => {
  it('sets pricing on listed models, adds missing ones, sets prices_as_of, and keeps comments and other fields', () => {
    const text =
      '# my models\ndeepseek:\n  models:\n    - name: deepseek-chat\n      aliases: [ds]\n      pricing: { input: 9, output: 9 }\nprices_as_of: 2020-01-01\n';
    const changes = pricesFromLiteLLM(excerpt, catalog(text));
    const written = applyPriceOverlay(text, changes, '2026-12-06');
    expect(written).toContain('# my models');
    expect(parse(written)).toEqual({
      deepseek: {
        models: [{ name: 'deepseek-chat', aliases: ['ds'], pricing: { input: 0.28, output: 0.42, cached_input: 0.028 } }],
      },
      prices_as_of: '2026-12-06',
    });
    const added = applyPriceOverlay(
      '',
      pricesFromLiteLLM(excerpt, catalog('anthropic:\n  models:\n    - name: claude-sonnet-5\n')),
      '2026-12-06',
    );
    expect(parse(added)).toEqual({
      anthropic: { models: [{ name: 'claude-sonnet-5', pricing: { input: 2, output: 10, cached_input: 0.2, cache_write: 2.5 } }] },
      prices_as_of: '2026-12-06',
    });
  });
});

describe('prices_as_of', () => {
  it('dates the prices a file sets, and is refused when it is not a date', () => {
    const dated = catalog(
      'prices_as_of: 2026-01-02\nopenai:\n  models:\n    - name: a\n      pricing: { input: 1, output: 2 }\n    - name: b\n',
    );
    const models = dated.providers.get('openai')!.models;
    expect(models.map((model) => model.pricesAsOf)).toEqual(['2026-01-02', undefined]);
    expect(() => catalog('prices_as_of: last week\n')).toThrow(/prices_as_of: must be a date like 2026-11-01/);
  });
});
