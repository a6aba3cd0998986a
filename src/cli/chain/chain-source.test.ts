import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { ConfigError } from '../../errors.js';
import { loadChain } from './chain-source.js';

let home: string;
const chainFile = () => path.join(home, 'two.yaml');
const cacheFile = () => path.join(home, 'run', 'chain-file-cache.json');
const load = () => loadChain(chainFile(), loadConfig({ env: { LLMO_HOME: home }, cwd: home }), home);

/** Writes the chain dated `minutesAgo`: old enough for the cache to trust its timestamp. */
function writeChain(text: string, minutesAgo = 1): void {
  writeFileSync(chainFile(), text);
  const then = new Date(Date.now() - minutesAgo * 60_000);
  utimesSync(chainFile(), then, then);
}

beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), 'llmo-chain-source-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('chain files', () => {
  it('are read back from the chain-file cache while unchanged, and parsed again once edited', () => {
    writeChain('steps:\n  - { name: one, model: openai:gpt-4o }\n  - { name: two, model: openai:gpt-4o }\n', 2);
    expect(load().steps.map((step) => step.name)).toEqual(['one', 'two']);
    // Prove the next load reads the cache: a value planted there comes back.
    writeFileSync(cacheFile(), readFileSync(cacheFile(), 'utf8').replace('"two"', '"planted"'));
    expect(load().steps.map((step) => step.name)).toEqual(['one', 'planted']);
    writeChain('steps:\n  - { name: one, model: openai:gpt-4o }\n  - { name: three, model: openai:gpt-4o }\n');
    expect(load().steps.map((step) => step.name)).toEqual(['one', 'three']);
  });

  it('still point at the line of a mistake when the chain came from the cache', () => {
    writeChain('steps:\n  - { name: one, model: openai:gpt-4o }\n  - { name: two, modle: openai:gpt-4o }\n');
    expect(() => load()).toThrow(ConfigError);
    // The second load parses nothing but to find the line.
    expect(existsSync(cacheFile())).toBe(true);
    expect(() => load()).toThrow(`${chainFile()}:3`);
  });
});
