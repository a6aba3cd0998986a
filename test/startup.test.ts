/**
 * Startup stays cheap because heavy code loads only on the path that needs it. Proven on the
 * built bundle: every dist chunk a command loads is traced, and its source map says which
 * packages went into it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from './fake-providers/server.mjs';
import { everythingScript } from './helpers/mcp-servers.js';
import { packagesLoaded } from './helpers/loaded-modules.js';
import { makeHome, removeHome, runLlmo } from './helpers/run-llmo.js';

const UI = ['ink', 'react', 'marked', 'marked-terminal', 'cli-highlight'];
const SDKS = ['@anthropic-ai/sdk', 'openai', '@google/genai', '@mistralai/mistralai'];
const VALIDATOR = ['ajv', 'ajv-formats'];
/** Tools cost nothing until a run asks for them. */
const MCP = '@modelcontextprotocol/sdk';
const isMcpCode = (source: string) => source.startsWith('src/mcp/');

let fake: FakeProviders;
let home: string;
/** A home whose config declares server-everything over stdio. */
let mcpHome: string;
beforeAll(async () => {
  fake = await startFakeProviders({ providers: ['openai', 'anthropic', 'gemini', 'mistral'] });
  home = makeHome();
  mcpHome = makeHome();
  writeFileSync(
    path.join(mcpHome, 'config.yaml'),
    `mcp:\n  servers:\n    everything: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(everythingScript)}] }\n`,
  );
});
afterAll(async () => {
  await fake.close();
  removeHome(home);
  removeHome(mcpHome);
});

describe('what each command loads', () => {
  it('--version loads no package at all', async () => {
    const { result, packages } = await packagesLoaded(['--version']);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(packages).toEqual([]);
  });

  it("--help and the commands' --help load neither the UI nor any vendor SDK", async () => {
    for (const args of [['--help'], ['ask', '--help'], ['chain', '--help'], ['parallel', '--help']]) {
      const { result, packages } = await packagesLoaded(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: llmo');
      for (const name of [...UI, ...SDKS, MCP]) expect(packages).not.toContain(name);
    }
  });

  it('mcp list reads the configuration without loading the MCP client', async () => {
    const { result, packages, sources } = await packagesLoaded(['mcp', 'list'], {}, home);
    expect(result.code).toBe(0);
    expect(packages).not.toContain(MCP);
    expect(sources.filter(isMcpCode)).toEqual([]);
  });

  it('mcp tools loads the MCP client, in a chunk of its own', async () => {
    const { result, packages, sources } = await packagesLoaded(['mcp', 'tools', 'everything'], {}, mcpHome);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('everything.echo');
    expect(packages).toContain(MCP);
    expect(sources).toContain('src/mcp/mcp-tool-host.ts');
    for (const name of [...UI, ...SDKS]) expect(packages).not.toContain(name);
  });

  // One vendor per run: its SDK loads, and nothing of the UI or of any other vendor.
  const VENDORS = [
    { name: 'openai', ref: 'openai:gpt-4o-mini', sdk: 'openai', key: 'OPENAI_API_KEY', baseURL: 'OPENAI_BASE_URL' },
    {
      name: 'anthropic',
      ref: 'anthropic:claude-haiku-4-5',
      sdk: '@anthropic-ai/sdk',
      key: 'ANTHROPIC_API_KEY',
      baseURL: 'ANTHROPIC_BASE_URL',
    },
    { name: 'gemini', ref: 'gemini:gemini-2.5-flash', sdk: '@google/genai', key: 'GEMINI_API_KEY', baseURL: 'GEMINI_BASE_URL' },
    { name: 'mistral', ref: 'mistral', sdk: '@mistralai/mistralai', key: 'MISTRAL_API_KEY', baseURL: 'MISTRAL_BASE_URL' },
  ] as const;

  for (const vendor of VENDORS) {
    it(`ask -m ${vendor.ref} loads the ${vendor.sdk} SDK and nothing of the UI or the other vendors`, async () => {
      const { result, packages, sources } = await packagesLoaded(
        ['ask', '-m', vendor.ref, '--no-save', 'hello'],
        { [vendor.key]: 'test-key', [vendor.baseURL]: fake.baseURLs[vendor.name] },
        home,
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Hello from fake ${vendor.name}`);
      expect(packages).toContain(vendor.sdk);
      const others = SDKS.filter((sdk) => sdk !== vendor.sdk);
      for (const name of [...UI, ...others, MCP, ...VALIDATOR]) expect(packages).not.toContain(name);
      expect(sources.filter(isMcpCode)).toEqual([]);
    });
  }

  it('ask --schema loads the validator (Ajv), which a plain ask never does', async () => {
    fake.enqueue('openai', { text: '{"title": "Dune"}' });
    const { result, packages } = await packagesLoaded(
      ['ask', '-m', 'openai:gpt-4o-mini', '--no-save', '--schema', 'title', 'hello'],
      { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.baseURLs.openai },
      home,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('{"title":"Dune"}\n');
    for (const name of VALIDATOR) expect(packages).toContain(name);
    for (const name of UI) expect(packages).not.toContain(name);
  });

  it('a response-cache hit loads no vendor SDK, and -m auto loads only the chosen vendor', async () => {
    const cacheHome = makeHome();
    try {
      const env = { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.baseURLs.openai };
      const ask = ['ask', '-m', 'openai:gpt-4o-mini', '--no-save', '--cache', 'hello'];
      expect((await runLlmo(ask, { home: cacheHome, env })).code).toBe(0);
      const asked = fake.requestsFor('openai').length;
      const { result, packages } = await packagesLoaded(ask, env, cacheHome);
      expect(result.stdout).toContain('Hello from fake openai');
      expect(fake.requestsFor('openai')).toHaveLength(asked);
      for (const name of [...UI, ...SDKS, MCP, ...VALIDATOR]) expect(packages).not.toContain(name);

      const routed = await packagesLoaded(['ask', '-m', 'auto:cheap', '--no-save', 'hello'], env, cacheHome);
      expect(routed.result.code, routed.result.stderr).toBe(0);
      expect(routed.packages).toContain('openai');
      for (const name of [...UI, ...SDKS.filter((sdk) => sdk !== 'openai'), MCP, ...VALIDATOR]) expect(routed.packages).not.toContain(name);
    } finally {
      removeHome(cacheHome);
    }
  });

  it('a parallel run answered from the response cache loads no vendor SDK, not even ahead of its calls', async () => {
    const cacheHome = makeHome();
    try {
      // Vendors whose adapters import nothing of their SDK until a call (the others' import error classes).
      const env = {
        GEMINI_API_KEY: 'test-key',
        GEMINI_BASE_URL: fake.baseURLs.gemini,
        MISTRAL_API_KEY: 'test-key',
        MISTRAL_BASE_URL: fake.baseURLs.mistral,
      };
      const parallel = ['parallel', '-m', 'gemini:gemini-2.5-flash', '-m', 'mistral:mistral-small-latest', '--cache', 'hello'];
      expect((await runLlmo(parallel, { home: cacheHome, env })).code).toBe(0);
      const asked = fake.requests.length;
      const { result, packages } = await packagesLoaded(parallel, env, cacheHome);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('Hello from fake mistral');
      expect(fake.requests).toHaveLength(asked);
      for (const name of SDKS) expect(packages).not.toContain(name);
    } finally {
      removeHome(cacheHome);
    }
  });

  it('ask -m gemini loads the web build of @google/genai, without Google Cloud auth or websockets', async () => {
    // The Node build drags in google-auth-library, gaxios and ws (≈ 0.8 MB) that an API key never uses.
    const { result, packages } = await packagesLoaded(
      ['ask', '-m', 'gemini:gemini-2.5-flash', '--no-save', 'hello'],
      { GEMINI_API_KEY: 'test-key', GEMINI_BASE_URL: fake.baseURLs.gemini },
      home,
    );
    expect(result.code).toBe(0);
    for (const name of ['google-auth-library', 'gaxios', 'ws']) expect(packages).not.toContain(name);
  });
});
