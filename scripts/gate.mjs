#!/usr/bin/env node
// `npm run gate`: Biome (lint and format, a second or two), then the type check beside the test
// suite. tsc is one process busy for a while; run after the tests, it added its whole time to
// every `npm test` on two busy cores. The gate fails when either fails; tsc's report is printed
// once the tests are done, so the two never interleave.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const biome = spawnSync(bin('biome'), ['check', '.'], { cwd: root, stdio: 'inherit' });
if (biome.status !== 0) process.exit(biome.status ?? 1);

let typeReport = '';
const typeCheck = new Promise((resolve) => {
  const tsc = spawn(bin('tsc'), ['--noEmit'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  tsc.stdout.on('data', (chunk) => (typeReport += chunk));
  tsc.stderr.on('data', (chunk) => (typeReport += chunk));
  tsc.on('close', (code) => resolve(code ?? 1));
});
const tests = new Promise((resolve) => {
  const vitest = spawn(bin('vitest'), ['run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  vitest.on('close', (code) => resolve(code ?? 1));
});

const [typeCode, testCode] = await Promise.all([typeCheck, tests]);
if (typeCode !== 0) process.stderr.write(`\ntsc --noEmit failed:\n${typeReport}`);
else process.stderr.write('tsc --noEmit: no type errors\n');
process.exit(typeCode !== 0 ? typeCode : testCode);
