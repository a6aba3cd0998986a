// Bundles the CLI into dist/ with esbuild: one small entry chunk, and a chunk per lazily
// imported path (each vendor SDK, the Ink UI, the vault…) so a run loads only what it uses.
// Bundling also saves node from resolving thousands of files at startup.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: 'linked',
  sourcesContent: false,
  minifySyntax: true,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  // Native or optional modules stay outside the bundle and load from node_modules.
  external: ['@napi-rs/keyring', '@napi-rs/keyring/*', 'react-devtools-core'],
  // Bundled CommonJS code calls require() for node built-ins; give ESM chunks one.
  banner: { js: "import { createRequire as __llmoCreateRequire } from 'node:module'; const require = __llmoCreateRequire(import.meta.url);" },
  jsx: 'automatic',
  logLevel: 'warning',
});
