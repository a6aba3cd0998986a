// Bundles the CLI into dist/ with esbuild: one small entry chunk, and a chunk per lazily
// imported path (each vendor SDK, the Ink UI, the vault…) so a run loads only what it uses.
// Bundling also saves node from resolving thousands of files at startup.
import { build } from 'esbuild';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Build beside dist/ and swap it in, so a CLI running from dist/ while we rebuild (tests do)
// never sees a half-written tree. `--outdir DIR` builds elsewhere (the bench runs a private copy).
const outdirFlag = process.argv.indexOf('--outdir');
const dist = outdirFlag > 0 ? path.resolve(process.argv[outdirFlag + 1]) : fileURLToPath(new URL('../dist', import.meta.url));
const staging = `${dist}.building-${process.pid}`;
const retired = `${dist}.old-${process.pid}`;
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// Names this build: the response cache's direct answers (src/cli/ask/direct-answer.ts) trust only
// memos written by the same build.
const buildId = `${Date.now().toString(36)}-${process.pid}`;

/**
 * marked-terminal imports cli-highlight, and with it all of highlight.js (≈ 190 grammars, 14 MiB
 * of heap once evaluated), as soon as the markdown renderer loads. It calls one function, and only
 * for a fenced code block: it gets a stand-in that loads the real one at the first block.
 */
const lazyHighlight = {
  name: 'lazy-cli-highlight',
  setup(build) {
    build.onResolve({ filter: /^cli-highlight$/ }, (args) =>
      args.importer.includes(`${path.sep}marked-terminal${path.sep}`) ? { path: 'cli-highlight', namespace: 'lazy-highlight' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-highlight' }, () => ({
      contents: "export function highlight(code, options) { return require('cli-highlight').highlight(code, options); }",
      resolveDir: fileURLToPath(new URL('..', import.meta.url)),
      loader: 'js',
    }));
  },
};

/**
 * commander requires node:child_process (and with it net and dgram) when it loads, for the
 * executable subcommands llmo never uses: every command paid ~4 ms for it. It gets a stand-in that
 * requires the real module if spawn is ever called.
 */
const lazyChildProcess = {
  name: 'lazy-child-process-for-commander',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes(`${path.sep}commander${path.sep}`) ? { path: 'child_process', namespace: 'lazy-child-process' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: "module.exports = { spawn: (...args) => require('node:child_process').spawn(...args) };",
      loader: 'js',
    }));
  },
};

const common = {
  plugins: [lazyHighlight, lazyChildProcess],
  absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: 'linked',
  sourcesContent: false,
  minifySyntax: true,
  legalComments: 'none',
  // Native or optional modules stay outside the bundle and load from node_modules.
  external: ['@napi-rs/keyring', '@napi-rs/keyring/*', 'react-devtools-core'],
  // Bundled CommonJS code calls require() for node built-ins; give ESM chunks one.
  banner: {
    js: "import { createRequire as __llmoCreateRequire } from 'node:module'; const require = __llmoCreateRequire(import.meta.url);",
  },
  jsx: 'automatic',
  define: { LLMO_VERSION: JSON.stringify(version), LLMO_BUILD: JSON.stringify(buildId), 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: { cli: 'src/cli/main.ts', agent: 'src/vault/agent-main.ts' },
  outdir: staging,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
// The direct answer path is tried before every `ask`: one self-contained file, because each module
// node loads costs about a millisecond, and a miss must cost next to nothing.
await build({ ...common, entryPoints: { direct: 'src/cli/ask/direct-answer.ts' }, outdir: staging });

if (existsSync(dist)) renameSync(dist, retired);
renameSync(staging, dist);
rmSync(retired, { recursive: true, force: true });
