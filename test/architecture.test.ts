/**
 * The import rules of DESIGN.md ("Layers and the direction of imports"), checked over every file
 * under src/, test/ and bin/, tests included:
 *   bin → src/cli → src/ui | src/orchestrator → src/providers/spec ← src/providers/<vendor>
 * config, vault and errors are leaves (src/fs, the one atomic write / lock / process-alive module,
 * sits below them); only a vendor folder imports its SDK (and knows its URLs);
 * only src/ui imports ink/react and the terminal markdown renderer; only src/mcp imports the MCP
 * SDK; the orchestrator reaches models only through a resolver it is given (never the registry)
 * and tools only through its ToolHost interface (never src/mcp).
 *
 * Test files follow the layer of the folder they are in: `src/orchestrator/x.test.ts` may import
 * what the orchestrator may, plus the test infrastructure (test/helpers, test/fake-providers).
 * Files under test/ are end-to-end: they may import any layer of src/, but no vendor SDK (a test
 * of a vendor's SDK is a vendor test and lives in src/providers/<vendor>/) and no ink/react (UI
 * tests live in src/ui/). scripts/ is outside the rules: scripts/bench/raw-*.mjs call the raw
 * SDKs on purpose, as the floor llmo is measured against. docs/architecture.md says the same.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/run-llmo.js';

const VENDOR_SDKS: Record<string, string> = {
  '@anthropic-ai/sdk': 'anthropic',
  openai: 'openai',
  '@google/genai': 'gemini',
  '@mistralai/mistralai': 'mistral',
};
const UI_ONLY = ['ink', 'react', 'ink-testing-library', 'marked-terminal', 'cli-highlight', 'marked'];
const VENDORS = ['anthropic', 'openai', 'gemini', 'mistral'];
const SOURCE = /\.(tsx?|mts|mjs|js)$/;

/**
 * Which of our layers a file belongs to: `src/<folder>`, `providers/<file or vendor>`, a leaf
 * file of src/ by name, `test` (end to end), `test-support` (test/helpers, test/fake-providers:
 * infrastructure every test may use), `bin`, or `outside`.
 */
function layerOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'bin') return 'bin';
  if (parts[0] === 'test') return parts[1] === 'helpers' || parts[1] === 'fake-providers' ? 'test-support' : 'test';
  if (parts[0] !== 'src') return 'outside';
  const name = (file: string) => file.replace(SOURCE, '').replace(/\.test(-support)?$/, '');
  if (parts.length === 2) return name(parts[1]!);
  if (parts[1] === 'providers') {
    if (parts.length === 3) return `providers/${name(parts[2]!)}`;
    return `providers/${parts[2]}`;
  }
  return parts[1]!;
}

const LEAVES = ['errors', 'config'];
/** Which internal layers each layer may import (besides itself and the test infrastructure, for tests). */
const ALLOWED: Record<string, readonly string[]> = {
  errors: [],
  // Files written whole or not at all, locks, process liveness: one copy for every layer.
  fs: ['errors'],
  config: ['errors', 'fs'],
  vault: ['errors', 'fs'],
  'providers/spec': ['errors'],
  // The shared toolkit every adapter builds on: error wording and retry-after, tool-name encoding.
  'providers/provider-errors': ['providers/spec', 'errors'],
  'providers/tool-names': ['providers/spec', 'errors'],
  ...Object.fromEntries(
    VENDORS.map((vendor) => [`providers/${vendor}`, ['providers/spec', 'providers/provider-errors', 'providers/tool-names', 'errors']]),
  ),
  'providers/retry': ['providers/spec', 'providers/provider-errors', 'errors'],
  'providers/registry': [
    'providers/spec',
    'providers/provider-errors',
    'errors',
    'config',
    ...VENDORS.map((vendor) => `providers/${vendor}`),
  ],
  usage: ['providers/spec', 'errors', 'config', 'fs'],
  // The response cache stores answers with the one atomic write (src/fs).
  cache: ['providers/spec', 'errors', 'config', 'conversations', 'fs'],
  conversations: ['providers/spec', 'errors', 'config', 'usage', 'fs'],
  structured: ['providers/spec', 'errors', 'config'],
  orchestrator: ['providers/spec', 'providers/retry', 'errors', 'config', 'usage', 'conversations', 'structured', 'cache', 'fs'],
  batch: [
    'orchestrator',
    'structured',
    'providers/spec',
    'providers/retry',
    'providers/registry',
    'errors',
    'config',
    'usage',
    'conversations',
    'fs',
  ],
  // The MCP client implements the orchestrator's ToolHost; it never sees the vault (the
  // composition root resolves vault: references and hands it a function).
  mcp: ['orchestrator', 'providers/spec', 'errors', 'config'],
  ui: [
    'orchestrator',
    'providers/spec',
    'providers/retry',
    'providers/registry',
    'errors',
    'config',
    'usage',
    'conversations',
    'cache',
    'fs',
  ],
  cli: [
    'ui',
    'batch',
    'orchestrator',
    'providers/spec',
    'providers/retry',
    'providers/registry',
    ...LEAVES,
    'usage',
    'conversations',
    'cache',
    'vault',
    'mcp',
    'structured',
    'cache',
    'batch',
    'fs',
  ],
  bin: ['cli'],
};
/**
 * A test directly in src/providers/ that is no module's own test (adapter conformance, keyless
 * policy, name-blindness) checks the providers layer as a whole: any part of it, and the leaves.
 */
function acrossProviders(layer: string): readonly string[] {
  if (!layer.startsWith('providers/')) return [];
  return [...Object.keys(ALLOWED).filter((name) => name.startsWith('providers/')), ...LEAVES];
}

const SRC_LAYERS = Object.keys(ALLOWED).filter((layer) => layer !== 'bin');

interface Violation {
  file: string;
  specifier: string;
  reason: string;
}

/** Checks one file's imports against the rules. `file` is relative to the repo, with `/`. */
function checkImports(file: string, specifiers: readonly string[]): Violation[] {
  const layer = layerOf(file);
  const isTest = /\.test(-support)?\.(tsx?|mts|mjs)$/.test(file) || layer === 'test';
  const violations: Violation[] = [];
  for (const specifier of specifiers) {
    if (specifier.startsWith('node:')) continue;
    if (specifier.startsWith('.')) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      const targetLayer = layerOf(target);
      if (targetLayer === layer || targetLayer === 'outside') continue;
      if (targetLayer === 'test-support' && isTest) continue;
      if (layer === 'bin' && target.startsWith('dist/')) continue;
      const endToEnd = layer === 'test' || layer === 'test-support';
      const allowed = endToEnd ? SRC_LAYERS : (ALLOWED[layer] ?? (isTest ? acrossProviders(layer) : []));
      if (!allowed.includes(targetLayer)) {
        violations.push({ file, specifier, reason: `${layer} must not import ${targetLayer}` });
      }
      continue;
    }
    const packageName = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
    const vendor = VENDOR_SDKS[packageName];
    if (vendor && layer !== `providers/${vendor}`) {
      violations.push({ file, specifier, reason: `only src/providers/${vendor}/ may import ${packageName}` });
    }
    if (UI_ONLY.includes(packageName) && layer !== 'ui') {
      violations.push({ file, specifier, reason: `only src/ui/ may import ${packageName}` });
    }
    if (packageName === '@napi-rs/keyring' && layer !== 'vault') {
      violations.push({ file, specifier, reason: 'only src/vault/ may import the keychain' });
    }
    if (packageName === '@modelcontextprotocol/sdk' && layer !== 'mcp' && layer !== 'test-support') {
      violations.push({ file, specifier, reason: 'only src/mcp/ may import @modelcontextprotocol/sdk' });
    }
    if ((packageName === 'ajv' || packageName === 'ajv-formats') && layer !== 'structured' && layer !== 'config') {
      violations.push({ file, specifier, reason: `only src/structured/ may import ${packageName}` });
    }
  }
  return violations;
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(])import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

function importsOf(source: string): string[] {
  const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...withoutComments.matchAll(IMPORT)].map((match) => (match[1] ?? match[2] ?? match[3])!);
}

/** Every source file under `directory`, tests included (recorded wire data is not code). */
function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'recordings' ? [] : sourceFiles(full);
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.mts') ? [full] : [];
  });
}

const relative = (full: string) => path.relative(repoRoot, full).split(path.sep).join('/');
const violationsIn = (files: string[]) => files.flatMap((full) => checkImports(relative(full), importsOf(readFileSync(full, 'utf8'))));

describe('import rules', () => {
  it('hold for every file under src/, unit tests included', () => {
    const files = sourceFiles(path.join(repoRoot, 'src'));
    expect(files.filter((file) => /\.test\.tsx?$/.test(file)).length).toBeGreaterThan(20);
    expect(violationsIn(files)).toEqual([]);
  });

  it('hold for every file under test/ and bin/', () => {
    const files = [...sourceFiles(path.join(repoRoot, 'test')), ...sourceFiles(path.join(repoRoot, 'bin'))];
    expect(files.length).toBeGreaterThan(10);
    expect(violationsIn(files)).toEqual([]);
  });

  it('know every folder of src/: a new one needs its place in DESIGN.md and here', () => {
    const folders = readdirSync(path.join(repoRoot, 'src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'providers')
      .map((entry) => entry.name);
    expect(folders.filter((folder) => !(folder in ALLOWED))).toEqual([]);
  });

  it('keep the orchestrator away from the registry and from src/mcp', () => {
    expect(checkImports('src/orchestrator/validate-chain.ts', ['../providers/registry.js'])[0]?.reason).toBe(
      'orchestrator must not import providers/registry',
    );
    expect(checkImports('src/orchestrator/tool-loop.ts', ['../mcp/index.js'])[0]?.reason).toBe('orchestrator must not import mcp');
    expect(checkImports('src/orchestrator/run-chain.test.ts', ['../providers/registry.js'])[0]?.reason).toBe(
      'orchestrator must not import providers/registry',
    );
  });

  it('treat a test as part of its folder, and test/ as end to end without vendor SDKs', () => {
    expect(checkImports('src/config/load.test.ts', ['../vault/index.js'])[0]?.reason).toBe('config must not import vault');
    expect(checkImports('src/usage/usage-log.test.ts', ['../../test/helpers/run-llmo.js'])).toEqual([]);
    expect(checkImports('src/usage/usage-log.ts', ['../../test/helpers/run-llmo.js'])[0]?.reason).toBe(
      'usage must not import test-support',
    );
    expect(checkImports('test/ask.test.ts', ['../src/providers/registry.js', '../src/cli/main.js', './helpers/run-llmo.js'])).toEqual([]);
    expect(checkImports('test/ask.test.ts', ['openai'])[0]?.reason).toBe('only src/providers/openai/ may import openai');
    expect(checkImports('test/ask.test.ts', ['ink-testing-library'])[0]?.reason).toBe('only src/ui/ may import ink-testing-library');
  });

  it('catch a vendor SDK imported outside its folder', () => {
    expect(checkImports('src/orchestrator/chain.ts', ['openai'])).toEqual([
      { file: 'src/orchestrator/chain.ts', specifier: 'openai', reason: 'only src/providers/openai/ may import openai' },
    ]);
    expect(checkImports('src/providers/anthropic/x.ts', ['@google/genai'])[0]?.reason).toMatch(/only src\/providers\/gemini/);
    expect(checkImports('src/providers/openai/openai-model.ts', ['openai', 'openai/streaming'])).toEqual([]);
  });

  it('catch Ajv outside src/structured', () => {
    expect(checkImports('src/orchestrator/x.ts', ['ajv/dist/2020.js'])[0]?.reason).toBe('only src/structured/ may import ajv');
    expect(checkImports('src/structured/validator.ts', ['ajv/dist/2020.js', 'ajv-formats'])).toEqual([]);
  });

  it('keep the MCP SDK inside src/mcp and src/mcp away from the vault', () => {
    expect(checkImports('src/orchestrator/tool-loop.ts', ['@modelcontextprotocol/sdk/client/index.js'])[0]?.reason).toBe(
      'only src/mcp/ may import @modelcontextprotocol/sdk',
    );
    expect(checkImports('src/mcp/connect-server.ts', ['@modelcontextprotocol/sdk/client/index.js'])).toEqual([]);
    expect(checkImports('src/mcp/x.ts', ['../vault/index.js'])[0]?.reason).toBe('mcp must not import vault');
    expect(checkImports('src/orchestrator/x.ts', ['../mcp/index.js'])[0]?.reason).toBe('orchestrator must not import mcp');
  });

  it('catch ink or react outside src/ui', () => {
    expect(checkImports('src/cli/chat.ts', ['ink'])[0]?.reason).toBe('only src/ui/ may import ink');
    expect(checkImports('src/orchestrator/x.ts', ['react/jsx-runtime'])[0]?.reason).toBe('only src/ui/ may import react');
    expect(checkImports('src/ui/App.tsx', ['ink', 'react'])).toEqual([]);
  });

  it('catch imports against the direction of the layers', () => {
    expect(checkImports('src/orchestrator/chain.ts', ['../cli/context.js'])[0]?.reason).toBe('orchestrator must not import cli');
    expect(checkImports('src/config/load.ts', ['../vault/index.js'])[0]?.reason).toBe('config must not import vault');
    expect(checkImports('src/providers/spec.ts', ['./registry.js'])[0]?.reason).toBe('providers/spec must not import providers/registry');
    // spec.ts re-exports its parts from src/providers/spec/: they are the same layer, under the same rules.
    expect(checkImports('src/providers/spec/results.ts', ['../registry.js'])[0]?.reason).toBe(
      'providers/spec must not import providers/registry',
    );
    expect(checkImports('src/providers/spec/provider-error.ts', ['../../errors.js', './messages.js'])).toEqual([]);
    expect(checkImports('src/providers/openai/index.ts', ['../anthropic/index.js'])[0]?.reason).toBe(
      'providers/openai must not import providers/anthropic',
    );
    expect(checkImports('src/ui/App.tsx', ['../cli/context.js'])[0]?.reason).toBe('ui must not import cli');
  });

  it('find static, type-only, re-export and dynamic imports', () => {
    const source = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "export { c } from './c.js';",
      "const d = await import('./d.js');",
      "import './side-effect.js';",
      "// import { e } from './commented.js';",
    ].join('\n');
    expect(importsOf(source)).toEqual(['./a.js', '../b.js', './c.js', './d.js', './side-effect.js']);
  });
});
