import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { buildCatalog, capabilitiesOf } from './catalog.js';
import { packageRoot } from './paths.js';
import { parseYaml } from './yaml-file.js';

const shipped = () => parseYaml('models.yaml', readFileSync(`${packageRoot()}/models.yaml`, 'utf8'));

describe('the shipped models.yaml', () => {
  const catalog = buildCatalog([shipped()]);

  it('has the five vendors and ollama, each with a default model it lists', () => {
    for (const name of ['anthropic', 'openai', 'gemini', 'mistral', 'deepseek', 'ollama']) {
      const provider = catalog.providers.get(name);
      expect(provider, name).toBeDefined();
      expect(provider!.models.map((model) => model.name)).toContain(provider!.defaultModel);
    }
    expect(catalog.providers.get('deepseek')).toMatchObject({
      api: 'openai',
      baseURL: expect.stringMatching(/^https:\/\/api\.deepseek\./),
      apiKeyName: 'DEEPSEEK_API_KEY',
    });
    expect(catalog.providers.get('ollama')).toMatchObject({ api: 'openai', apiKeyName: undefined, baseURL: 'http://localhost:11434/v1' });
  });

  it('prices every hosted model', () => {
    for (const provider of catalog.providers.values()) {
      if (provider.name === 'ollama') continue;
      for (const model of provider.models) expect(model.pricing, `${provider.name}:${model.name}`).toBeDefined();
    }
  });

  it('gives every chat model a tier, a quality and a latency for -m auto, and embedding models a tier only', () => {
    for (const provider of catalog.providers.values()) {
      for (const model of provider.models) {
        const who = `${provider.name}:${model.name}`;
        expect(model.tier, who).toMatch(/^(efficient|standard|premium)$/);
        if (model.capabilities?.includes('embeddings')) expect(model.quality, who).toBeUndefined();
        else expect([model.quality, model.latencyMs], who).toEqual([expect.any(Number), expect.any(Number)]);
      }
    }
  });

  it('has the roles and personas the docs promise', () => {
    expect(Object.keys(catalog.systemPrompts.roles)).toEqual(expect.arrayContaining(['critique', 'summarize', 'generate-code', 'plan']));
    expect(Object.keys(catalog.systemPrompts.personas)).toEqual(
      expect.arrayContaining(['developer', 'product-manager', 'poet', 'technical-writer', 'tester']),
    );
  });
});

describe('a user models.yaml', () => {
  it('overrides fields, merges models by name and adds providers', () => {
    const user = parseYaml(
      'user.yaml',
      [
        'openai:',
        '  base_url: http://proxy.local/v1',
        '  models:',
        '    - name: gpt-4o-mini',
        '      pricing: { input: 9, output: 9 }',
        '    - name: my-finetune',
        'lmstudio:',
        '  base_url: http://localhost:1234/v1',
        '  api_key_name: null',
        '  models: [qwen-7b]',
        'system_prompts:',
        '  roles:',
        '    pirate: Talk like a pirate.',
      ].join('\n'),
    );
    const catalog = buildCatalog([shipped(), user]);
    const openai = catalog.providers.get('openai')!;
    expect(openai.baseURL).toBe('http://proxy.local/v1');
    expect(openai.models.find((model) => model.name === 'gpt-4o-mini')).toMatchObject({
      aliases: ['4o-mini'],
      pricing: { input: 9, output: 9 },
    });
    expect(openai.models.find((model) => model.name === 'my-finetune')).toEqual({ name: 'my-finetune', aliases: [] });
    expect(openai.models.find((model) => model.name === 'gpt-6-sol')?.pricing?.input).toBe(2);
    expect(catalog.providers.get('lmstudio')).toMatchObject({ api: 'openai', apiKeyName: undefined, defaultModel: 'qwen-7b' });
    expect(catalog.systemPrompts.roles.pirate).toBe('Talk like a pirate.');
    expect(catalog.systemPrompts.roles.critique).toBeDefined();
  });

  it.each([
    ['openai:\n  api: grpc\n', 'user.yaml:2: openai.api: must be one of anthropic, openai, gemini, mistral'],
    ['openai:\n  base_url: llm.example.com\n', 'user.yaml:2: openai.base_url: must be an http:// or https:// URL'],
    ['openai:\n  modles: []\n', 'user.yaml:2: openai.modles: unknown field'],
    ['x:\n  models:\n    - aliases: [y]\n', 'user.yaml:3: x.models[0].name: every model needs a name'],
    [
      'x:\n  models:\n    - name: m\n      context_window: -5\n',
      'user.yaml:4: x.models[0].context_window: must be a positive whole number',
    ],
  ])('rejects %j with file, line and field', (text, message) => {
    expect(() => buildCatalog([parseYaml('user.yaml', text)])).toThrowError(
      expect.objectContaining({ message: expect.stringContaining(message) }),
    );
  });

  it('reports invalid YAML as a configuration error with its line', () => {
    const error = (() => {
      try {
        parseYaml('broken.yaml', 'a: 1\nb: [unclosed\nc: 3\n');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^broken\.yaml:\d+:\d+: invalid YAML/);
    expect((error as ConfigError).exitCode).toBe(3);
  });

  it('refuses a misspelt field of a model or its pricing, naming the closest valid one', () => {
    const model = parseYaml('models.yaml', 'openai:\n  models:\n    - name: my-model\n      aliasses: [mine]\n');
    expect(() => buildCatalog([shipped(), model])).toThrow(
      /models\.yaml:4: openai\.models\[0\]\.aliasses: unknown field; did you mean aliases\?/,
    );
    const pricing = parseYaml(
      'models.yaml',
      'openai:\n  models:\n    - name: my-model\n      pricing: { input: 1, output: 2, cached: 0.1 }\n',
    );
    expect(() => buildCatalog([shipped(), pricing])).toThrow(/pricing\.cached: unknown field; did you mean cached_input\?/);
  });

  it('refuses a tier, quality or latency_ms out of range, naming the field', () => {
    const bad = (field: string) => () => buildCatalog([parseYaml('user.yaml', `openai:\n  models:\n    - name: gpt-x\n      ${field}\n`)]);
    expect(bad('tier: cheap')).toThrow(/openai\.models\[0\]\.tier.*efficient, standard, premium/);
    expect(bad('quality: 11')).toThrow(/quality.*0 to 10/);
    expect(bad('latency_ms: -5')).toThrow(/latency_ms.*milliseconds/);
    expect(() =>
      buildCatalog([
        parseYaml('user.yaml', 'openai:\n  models:\n    - name: gpt-x\n      tier: premium\n      quality: 7.5\n      latency_ms: 300\n'),
      ]),
    ).not.toThrow();
  });

  it("reports an alias that is also another model's name, naming both", () => {
    const user = parseYaml(
      'models.yaml',
      'myproxy:\n  base_url: http://localhost:8080/v1\n  models:\n    - name: mini\n      aliases: [gpt-4o-mini]\n',
    );
    expect(() => buildCatalog([shipped(), user])).toThrowError(
      expect.objectContaining({
        exitCode: 3,
        message: expect.stringMatching(
          /^models\.yaml:\d+: myproxy\.models: alias "gpt-4o-mini" of myproxy:mini is also the model of openai:gpt-4o-mini$/,
        ),
      }),
    );
  });

  it('reports a user alias that collides with a shipped one, naming both', () => {
    const user = parseYaml(
      'models.yaml',
      'myproxy:\n  base_url: http://localhost:8080/v1\n  models:\n    - name: my-sonnet\n      aliases: [sonnet]\n',
    );
    expect(() => buildCatalog([shipped(), user])).toThrow(
      /myproxy\.models: alias "sonnet" of myproxy:my-sonnet is also the alias of anthropic:claude-sonnet-5-5/,
    );
  });

  it('lets a user re-declare a shipped model of the same provider, aliases and all', () => {
    const user = parseYaml('models.yaml', 'anthropic:\n  models:\n    - name: claude-sonnet-5-5\n      aliases: [sonnet, s]\n');
    expect(buildCatalog([shipped(), user]).providers.get('anthropic')!.models[2]!.aliases).toEqual(['sonnet', 's']);
  });
});

describe('capabilities', () => {
  const user = (text: string) => buildCatalog([shipped(), parseYaml('user.yaml', text)]);
  const of = (catalog: ReturnType<typeof buildCatalog>, provider: string, model: string) =>
    [...capabilitiesOf(catalog, catalog.providers.get(provider)!, model)].sort();

  it('come from the model, else its provider, in the shipped file', () => {
    const catalog = buildCatalog([shipped()]);
    expect(of(catalog, 'deepseek', 'deepseek-chat')).toEqual(['json_object_only', 'prompt_cache', 'tools']);
    expect(of(catalog, 'deepseek', 'deepseek-reasoner')).toContain('reasoning');
    expect(of(catalog, 'openai', 'gpt-5.4-mini')).toEqual(expect.arrayContaining(['max_completion_tokens', 'no_temperature', 'reasoning']));
    expect(of(catalog, 'openai', 'gpt-6-sol')).toEqual(expect.arrayContaining(['max_completion_tokens', 'reasoning', 'vision']));
    expect(of(catalog, 'openai', 'gpt-4o-mini')).not.toContain('no_temperature');
    expect(of(catalog, 'anthropic', 'claude-haiku-4-5')).toEqual(expect.arrayContaining(['vision', 'pdf', 'json_schema', 'tools']));
    expect(of(catalog, 'openai', 'text-embedding-3-small')).toContain('embeddings');
  });

  it('ships an embedding model, priced, for each vendor that has embeddings', () => {
    const catalog = buildCatalog([shipped()]);
    for (const [provider, model] of [
      ['openai', 'text-embedding-3-small'],
      ['openai', 'text-embedding-3-large'],
      ['gemini', 'gemini-embedding-001'],
      ['mistral', 'mistral-embed'],
    ] as const) {
      const info = catalog.providers.get(provider)!.models.find((candidate) => candidate.name === model);
      expect(info?.capabilities, `${provider}:${model}`).toContain('embeddings');
      expect(info?.pricing?.input, `${provider}:${model}`).toBeGreaterThan(0);
    }
  });

  it('a provider named otherwise that speaks the same protocol asks a model as the shipped one does', () => {
    const catalog = user('work:\n  api: openai\n  base_url: http://127.0.0.1:9/v1\n  models: [gpt-4o-mini]\n');
    expect(of(catalog, 'work', 'gpt-4o-mini')).toEqual(of(catalog, 'openai', 'gpt-4o-mini'));
    expect(of(catalog, 'work', 'deepseek-chat')).toEqual(of(catalog, 'deepseek', 'deepseek-chat'));
  });

  it("fall back to the adapter kind's defaults, and a provider's own list wins over them", () => {
    expect(of(user('local:\n  api: openai\n  base_url: http://127.0.0.1:9/v1\n'), 'local', 'some-model')).toEqual(['json_schema', 'tools']);
    const catalog = user('local:\n  api: openai\n  base_url: http://127.0.0.1:9/v1\n  capabilities: [vision]\n  models:\n    - name: m\n');
    expect(of(catalog, 'local', 'm')).toEqual(['vision']);
    expect(of(catalog, 'local', 'gpt-4o-mini')).toEqual(['vision']);
  });

  it('an unknown capability is a configuration error naming the known ones', () => {
    expect(() => user('openai:\n  models:\n    - name: gpt-x\n      capabilities: [tools, visoin]\n')).toThrowError(
      /user\.yaml:4: openai\.models\[0\]\.capabilities\[1\]: unknown capability "visoin"; did you mean vision\? \(known: tools, vision/,
    );
    expect(() => user('openai:\n  capabilities: tools\n')).toThrowError(ConfigError);
  });
});
