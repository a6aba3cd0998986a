/**
 * Startup stays cheap because heavy code loads only on the path that needs it. Proven on the
 * built bundle: every dist chunk a command loads is traced, and its source map says which
 * packages went into it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from './fake-providers/server.mjs';
import { makeHome, removeHome, repoRoot, runLlmo } from './helpers/run-llmo.js';

const tracer = path.join(repoRoot, 'test', 'helpers', 'trace-modules.mjs');

/** The packages (node_modules/<name>) bundled into the dist chunks a command loaded. */
async function packagesLoaded(args: string[], env: Record<string, string> = {}, home?: string) {
  const traceFile = path.join(mkdtempSync(path.join(tmpdir(), 'llmo-trace-')), 'modules.txt');
  const result = await runLlmo(args, {
    ...(home ? { home } : {}),
    env: { ...env, LLMO_TRACE_FILE: traceFile, NODE_OPTIONS: `--import=${tracer}` },
  });
  const urls = readFileSync(traceFile, 'utf8').trim().split('\n');
  const packages = new Set<string>();
  for (const url of urls) {
    if (!url.startsWith('file:')) continue;
    const file = fileURLToPath(url);
    if (file.includes(`${path.sep}node_modules${path.sep}`)) {
      packages.add(packageOf(file));
      continue;
    }
    if (!file.startsWith(path.join(repoRoot, 'dist'))) continue;
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
    for (const source of map.sources) if (source.includes('node_modules/')) packages.add(packageOf(source));
  }
  return { result, packages: [...packages].sort() };
}

function packageOf(file: string): string {
  const after = file.split(/node_modules[\\/]/).pop()!.split(/[\\/]/);
  return after[0]!.startsWith('@') ? `${after[0]}/${after[1]}` : after[0]!;
}

const UI = ['ink', 'react', 'marked', 'marked-terminal', 'cli-highlight'];
const SDKS = ['@anthropic-ai/sdk', 'openai', '@google/genai', '@mistralai/mistralai'];

let fake: FakeProviders;
let home: string;
beforeAll(async () => {
  fake = await startFakeProviders({ providers: ['openai', 'mistral'] });
  home = makeHome();
});
afterAll(async () => {
  await fake.close();
  removeHome(home);
});

describe('what each command loads', () => {
  it('--version loads no package at all', async () => {
    const { result, packages } = await packagesLoaded(['--version']);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(packages).toEqual([]);
  });

  it('--help and ask --help load neither the UI nor any vendor SDK', async () => {
    for (const args of [['--help'], ['ask', '--help']]) {
      const { result, packages } = await packagesLoaded(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: llmo');
      for (const name of [...UI, ...SDKS]) expect(packages).not.toContain(name);
    }
  });

  it('ask -m openai:… loads the openai SDK and nothing of the UI or the other vendors', async () => {
    const { result, packages } = await packagesLoaded(
      ['ask', '-m', 'openai:gpt-4o-mini', '--no-save', 'hello'],
      { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.baseURLs.openai },
      home,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(packages).toContain('openai');
    for (const name of [...UI, '@anthropic-ai/sdk', '@google/genai', '@mistralai/mistralai']) expect(packages).not.toContain(name);
  });

  it('ask -m mistral loads only the Mistral SDK', async () => {
    const { result, packages } = await packagesLoaded(
      ['ask', '-m', 'mistral', '--no-save', 'hello'],
      { MISTRAL_API_KEY: 'test-key', MISTRAL_BASE_URL: fake.baseURLs.mistral },
      home,
    );
    expect(result.code).toBe(0);
    expect(packages).toContain('@mistralai/mistralai');
    for (const name of [...UI, 'openai', '@anthropic-ai/sdk', '@google/genai']) expect(packages).not.toContain(name);
  });
});
