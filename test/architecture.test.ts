/**
 * The import rules of DESIGN.md, checked over every source file:
 *   bin → src/cli → src/ui | src/orchestrator → src/providers/spec ← src/providers/<vendor>
 * config, vault and errors are leaves; only a vendor folder imports its SDK; only src/ui imports
 * ink/react and the terminal markdown renderer; only src/mcp imports the MCP SDK.
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

/** Which of our layers a file under src/ belongs to. */
function layerOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] !== 'src') return 'outside';
  if (parts.length === 2) return parts[1]!.replace(/\.(tsx?|js|mjs)$/, '');
  if (parts[1] === 'providers') {
    if (parts.length === 3) return `providers/${parts[2]!.replace(/\.(tsx?|js|mjs)$/, '')}`;
    return `providers/${parts[2]}`;
  }
  return parts[1]!;
}

/** Which internal layers each layer may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  errors: [],
  config: ['errors'],
  vault: ['errors'],
  'providers/spec': ['errors'],
  ...Object.fromEntries(VENDORS.map((vendor) => [`providers/${vendor}`, ['providers/spec', 'providers/tool-names', 'errors']])),
  'providers/retry': ['providers/spec', 'errors'],
  'providers/registry': ['providers/spec', 'errors', 'config', ...VENDORS.map((vendor) => `providers/${vendor}`)],
  usage: ['providers/spec', 'errors', 'config'],
  conversations: ['providers/spec', 'errors', 'config', 'usage'],
  orchestrator: ['providers/spec', 'providers/retry', 'providers/registry', 'errors', 'config', 'usage', 'conversations'],
  // The MCP client implements the orchestrator's ToolHost; it never sees the vault (the
  // composition root resolves vault: references and hands it a function).
  mcp: ['orchestrator', 'providers/spec', 'errors', 'config'],
  ui: ['orchestrator', 'providers/spec', 'providers/retry', 'providers/registry', 'errors', 'config', 'usage', 'conversations'],
  cli: [
    'ui',
    'orchestrator',
    'mcp',
    'providers/spec',
    'providers/retry',
    'providers/registry',
    'errors',
    'config',
    'usage',
    'conversations',
    'vault',
  ],
};

interface Violation {
  file: string;
  specifier: string;
  reason: string;
}

/** Checks one file's imports against the rules. `file` is relative to the repo, with `/`. */
function checkImports(file: string, specifiers: readonly string[]): Violation[] {
  const layer = layerOf(file);
  const violations: Violation[] = [];
  for (const specifier of specifiers) {
    if (specifier.startsWith('node:')) continue;
    if (specifier.startsWith('.')) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      const targetLayer = layerOf(target);
      if (targetLayer === layer || targetLayer === 'outside') continue;
      if (!(ALLOWED[layer] ?? []).includes(targetLayer)) {
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
    if (packageName === '@modelcontextprotocol/sdk' && layer !== 'mcp') {
      violations.push({ file, specifier, reason: 'only src/mcp/ may import @modelcontextprotocol/sdk' });
    }
    if (packageName === '@napi-rs/keyring' && layer !== 'vault') {
      violations.push({ file, specifier, reason: 'only src/vault/ may import the keychain' });
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

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe('import rules', () => {
  it('hold for every file under src/', () => {
    const files = sourceFiles(path.join(repoRoot, 'src'));
    expect(files.length).toBeGreaterThan(20);
    const violations = files.flatMap((full) => {
      const file = path.relative(repoRoot, full).split(path.sep).join('/');
      return checkImports(file, importsOf(readFileSync(full, 'utf8')));
    });
    expect(violations).toEqual([]);
  });

  it('catch a vendor SDK imported outside its folder', () => {
    expect(checkImports('src/orchestrator/chain.ts', ['openai'])).toEqual([
      { file: 'src/orchestrator/chain.ts', specifier: 'openai', reason: 'only src/providers/openai/ may import openai' },
    ]);
    expect(checkImports('src/providers/anthropic/x.ts', ['@google/genai'])[0]?.reason).toMatch(/only src\/providers\/gemini/);
    expect(checkImports('src/providers/openai/openai-model.ts', ['openai', 'openai/streaming'])).toEqual([]);
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
