/**
 * An llmo that holds a key writes no core file when it crashes: `llmo ask` with its key in the
 * vault, started under `ulimit -c unlimited`, is killed with SIGSEGV and SIGABRT while the fake
 * provider holds its request. The control — a node process without a key, in the same folder —
 * does write one, so a missing core file means llmo forbade it (its limit is 0, see
 * /proc/PID/limits), not that this machine cannot write cores. Where cores go to a handler
 * (core_pattern starts with `|`), only the limit is checked.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from './fake-providers/server.mjs';
import { cleanEnv, llmoBin, makeHome, removeHome } from './helpers/run-llmo.js';
import { addKey, initVault, TEST_COST } from './helpers/vault-home.js';
import { waitUntil } from './helpers/wait-until.js';

const linux = process.platform === 'linux';
// Cores land in the crashed process's folder, and this process may raise its limit to write them.
const coreFilesHere =
  linux &&
  !readFileSync('/proc/sys/kernel/core_pattern', 'utf8').startsWith('|') &&
  !/^Max core file size\s+\S+\s+0\s/m.test(readFileSync('/proc/self/limits', 'utf8'));

let fake: FakeProviders;
let home: string;
let passwordFile: string;
let crashes: string;

beforeAll(async () => {
  fake = await startFakeProviders({ providers: ['openai'] });
  home = makeHome();
  passwordFile = await initVault(home);
  await addKey(home, 'openai', 'sk-core-0123456789abcdef0123', passwordFile);
  crashes = path.join(home, 'crashes');
  mkdirSync(crashes);
});
afterAll(async () => {
  await fake.close();
  removeHome(home);
});

const cores = () => readdirSync(crashes).filter((name) => name.startsWith('core'));
const unlimitedCores = ['-c', 'ulimit -c unlimited 2>/dev/null; exec "$0" "$@"'];

describe.runIf(linux)('a crashed llmo that holds a key', () => {
  it.runIf(coreFilesHere)('the control: a process without llmo in the same folder does write a core file', () => {
    const control = spawnSync('/bin/sh', [...unlimitedCores, process.execPath, '-e', 'process.kill(process.pid, "SIGSEGV")'], {
      cwd: crashes,
    });
    expect(control.signal).toBe('SIGSEGV');
    expect(cores().length).toBe(1);
    for (const name of cores()) rmSync(path.join(crashes, name));
  });

  it.each(['SIGSEGV', 'SIGABRT'] as const)('writes no core file when killed with %s mid-request', async (signal) => {
    fake.reset();
    fake.setDefault('openai', { firstChunkDelayMs: 60_000 });
    const child = spawn('/bin/sh', [...unlimitedCores, process.execPath, llmoBin, 'ask', '-m', 'openai', '--no-save', 'hold on'], {
      cwd: crashes,
      env: cleanEnv(home, { ...fake.env(), ...TEST_COST, LLMO_PASSWORD_FILE: passwordFile }),
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_, killedBy) => resolve(killedBy)));
    // The request reached the provider: the key was read from the vault and is in memory now.
    await waitUntil(() => fake.requestsFor('openai').length > 0, 'the request to reach the fake provider');
    expect(readFileSync(`/proc/${child.pid}/limits`, 'utf8')).toMatch(/^Max core file size\s+0\s+0\s/m);
    child.kill(signal);
    expect(await exited).toBe(signal);
    if (coreFilesHere) expect(cores()).toEqual([]);
  });
});
