import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packageRoot } from './paths.js';
import { buildSettings } from './settings.js';
import { parseYaml } from './yaml-file.js';

const shipped = () => parseYaml('default.yaml', readFileSync(`${packageRoot()}/config/default.yaml`, 'utf8'));

describe('settings', () => {
  it('come with documented defaults', () => {
    const settings = buildSettings([shipped()]);
    expect(settings.mainLlm).toEqual({ provider: 'anthropic', model: 'claude-sonnet-5-5' });
    expect(settings.request).toEqual({ timeoutSeconds: 300, maxTokens: 4096, retries: 3, retryBaseDelayMs: 500, retryMaxDelayMs: 30000 });
    expect(settings.budgets).toEqual({ perCallUsd: undefined, dailyUsd: undefined, monthlyUsd: undefined, warnAt: 0.8 });
    expect([...settings.chains.keys()]).toEqual(expect.arrayContaining(['review-code', 'second-opinion']));
  });

  it('let the user file override the shipped one and the project file override both, key by key', () => {
    const user = parseYaml('config.yaml', 'main_llm:\n  provider: openai\n  model: gpt-4o\nbudgets:\n  daily_usd: 5\n');
    const project = parseYaml('.llmo.yaml', 'main_llm:\n  model: gpt-5\nchains:\n  mine:\n    steps: []\n');
    const settings = buildSettings([shipped(), user, project]);
    expect(settings.mainLlm).toEqual({ provider: 'openai', model: 'gpt-5' });
    expect(settings.budgets.dailyUsd).toBe(5);
    expect(settings.budgets.warnAt).toBe(0.8);
    expect(settings.chains.get('mine')?.source.file).toBe('.llmo.yaml');
    expect(settings.chains.has('review-code')).toBe(true);
  });

  it('reject a wrong type naming the file that set it and the line', () => {
    const user = parseYaml('config.yaml', 'request:\n  retries: lots\n');
    expect(() => buildSettings([shipped(), user])).toThrow('config.yaml:2: request.retries: must be a whole number ≥ 0 and ≤ 10');
  });

  it('reject a timeout beyond what a timer can hold, instead of firing after 1 ms', () => {
    const user = parseYaml('config.yaml', 'request:\n  timeout_seconds: 1e12\n');
    expect(() => buildSettings([shipped(), user])).toThrow(/config\.yaml:2: request\.timeout_seconds: must be .*≤ 86400/);
  });

  it('reject unknown top-level settings', () => {
    const user = parseYaml('config.yaml', 'budget:\n  daily_usd: 1\n');
    expect(() => buildSettings([shipped(), user])).toThrow(/config\.yaml:1: budget: unknown setting/);
  });

  it('reads schemas: by name, later files replacing a schema whole, each with the file it came from', () => {
    const user = parseYaml('config.yaml', 'schemas:\n  film:\n    type: object\n  summary: "title"\n');
    const settings = buildSettings([parseYaml('default.yaml', 'schemas:\n  summary: "title, summary"\n'), user]);
    expect(settings.schemas.get('film')).toEqual({ definition: { type: 'object' }, source: user });
    expect(settings.schemas.get('summary')?.definition).toBe('title');
    expect(() => buildSettings([parseYaml('config.yaml', 'schemas:\n  bad: 3\n')])).toThrow(
      /config\.yaml:2: schemas\.bad: expected a JSON Schema/,
    );
  });

  it('refuse a misspelt key at any depth, naming the file, the line and the closest valid key', () => {
    const cases: [string, RegExp][] = [
      ['request:\n  timout_seconds: 5\n', /config\.yaml:2: request\.timout_seconds: unknown setting; did you mean timeout_seconds\?/],
      ['budgets:\n  daily: 1\n', /config\.yaml:2: budgets\.daily: unknown setting; did you mean daily_usd\?/],
      ['chat:\n  markdwn: false\n', /config\.yaml:2: chat\.markdwn: unknown setting; did you mean markdown\?/],
      ['budgets: 5\n', /config\.yaml:1: budgets: expected a mapping of settings/],
    ];
    for (const [text, message] of cases) {
      expect(() => buildSettings([shipped(), parseYaml('config.yaml', text)])).toThrow(message);
    }
  });

  it('take main_llm as a provider, as provider:model, or as a provider alone meaning its default model', () => {
    const provider = buildSettings([shipped(), parseYaml('config.yaml', 'main_llm: openai\n')]);
    expect(provider.mainLlm).toEqual({ provider: 'openai', model: undefined });
    const reference = buildSettings([shipped(), parseYaml('config.yaml', 'main_llm: openai:gpt-6-sol\n')]);
    expect(reference.mainLlm).toEqual({ provider: 'openai', model: 'gpt-6-sol' });
    // The shipped file names an Anthropic model; a user who picks another provider must not inherit it.
    const providerOnly = buildSettings([shipped(), parseYaml('config.yaml', 'main_llm:\n  provider: openai\n')]);
    expect(providerOnly.mainLlm).toEqual({ provider: 'openai', model: undefined });
    expect(() => buildSettings([shipped(), parseYaml('config.yaml', 'main_llm: "openai:"\n')])).toThrow(/names no model/);
  });
});
