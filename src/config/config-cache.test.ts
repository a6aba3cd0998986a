import { chmodSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';

let home: string;
const cacheFile = () => path.join(home, 'run', 'config-cache.json');
const load = () => loadConfig({ env: { LLMO_HOME: home }, cwd: home });

/** Writes a file dated a minute ago: old enough for the cache to trust its timestamp. */
function writeSettled(file: string, text: string, minutesAgo = 1): void {
  writeFileSync(file, text);
  const then = new Date(Date.now() - minutesAgo * 60_000);
  utimesSync(file, then, then);
}

beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), 'llmo-config-cache-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('the configuration cache', () => {
  it('serves an unchanged configuration from the runtime directory', () => {
    writeSettled(path.join(home, 'config.yaml'), 'main_llm:\n  provider: openai\n  model: gpt-4o\n');
    const first = load();
    expect(existsSync(cacheFile())).toBe(true);
    // Prove the second load reads the cache: a value planted there comes back.
    writeFileSync(cacheFile(), readFileSync(cacheFile(), 'utf8').replace('"gpt-4o"', '"planted-model"'));
    const second = load();
    expect(first.settings.mainLlm).toEqual({ provider: 'openai', model: 'gpt-4o' });
    expect(second.settings.mainLlm).toEqual({ provider: 'openai', model: 'planted-model' });
    expect(second.catalog.providers.get('anthropic')?.models.length).toBe(first.catalog.providers.get('anthropic')?.models.length);
  });

  it('sees every kind of edit on the next run', () => {
    const userConfig = path.join(home, 'config.yaml');
    writeSettled(userConfig, 'main_llm:\n  provider: openai\n  model: gpt-4o\n', 3);
    load();
    // Same size, new timestamp.
    writeSettled(userConfig, 'main_llm:\n  provider: openai\n  model: gpt-5o\n', 2);
    expect(load().settings.mainLlm.model).toBe('gpt-5o');
    // Replaced by rename, as editors and `llmo config set` do.
    writeSettled(`${userConfig}.new`, 'main_llm:\n  provider: mistral\n  model: small\n');
    renameSync(`${userConfig}.new`, userConfig);
    expect(load().settings.mainLlm).toEqual({ provider: 'mistral', model: 'small' });
    // A project file appearing, then a user models.yaml.
    writeSettled(path.join(home, '.llmo.yaml'), 'main_llm:\n  provider: gemini\n');
    expect(load().settings.mainLlm.provider).toBe('gemini');
    writeSettled(path.join(home, 'models.yaml'), 'local:\n  base_url: http://127.0.0.1:11434/v1\n  models: [llama3]\n');
    expect(load().catalog.providers.get('local')?.defaultModel).toBe('llama3');
    // And disappearing again.
    rmSync(path.join(home, 'models.yaml'));
    expect(load().catalog.providers.has('local')).toBe(false);
  });

  it('does not remember a file written moments ago, whose timestamp could hide a second write', () => {
    writeFileSync(path.join(home, 'config.yaml'), 'main_llm:\n  provider: openai\n');
    load();
    expect(existsSync(cacheFile())).toBe(false);
  });

  it('is ignored when damaged, and rewritten', () => {
    writeSettled(path.join(home, 'config.yaml'), 'main_llm:\n  provider: openai\n');
    load();
    writeFileSync(cacheFile(), '{"format":1,"entries":[{"files":');
    expect(load().settings.mainLlm.provider).toBe('openai');
    expect(() => JSON.parse(readFileSync(cacheFile(), 'utf8'))).not.toThrow();
  });

  it('is neither read nor written in a runtime directory others can write to', () => {
    writeSettled(path.join(home, 'config.yaml'), 'main_llm:\n  provider: openai\n  model: gpt-4o\n');
    load();
    writeFileSync(cacheFile(), readFileSync(cacheFile(), 'utf8').replace('"gpt-4o"', '"planted-model"'));
    chmodSync(path.join(home, 'run'), 0o777);
    expect(load().settings.mainLlm.model).toBe('gpt-4o');
  });

  it('keeps file:line in errors found after a cached load', () => {
    writeSettled(path.join(home, 'config.yaml'), 'main_llm:\n  provider: openai\nchains:\n  mine:\n    steps: []\n');
    load();
    const cached = load();
    const chain = cached.settings.chains.get('mine');
    expect(chain?.source.locate(['chains', 'mine', 'steps'])).toBe(`${path.join(home, 'config.yaml')}:5`);
  });

  it('reports a YAML mistake with its line even after the file was cached', () => {
    const userConfig = path.join(home, 'config.yaml');
    writeSettled(userConfig, 'main_llm:\n  provider: openai\n', 2);
    load();
    writeSettled(userConfig, 'main_llm:\n  provider: [openai\n');
    expect(() => load()).toThrow(/config\.yaml:\d+:\d+: invalid YAML/);
  });
});
