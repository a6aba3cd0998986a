/**
 * Crash safety and concurrency of vault writes, with real processes: writers SIGKILLed in the
 * middle of writing (the vault must always open, with the old or the new content), and eight
 * `llmo auth add` processes at once (all eight keys must be there).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../src/vault/secret.js';
import { readEntries, unwrapWithPassword } from '../src/vault/vault-codec.js';
import { makeHome, removeHome, repoRoot } from './helpers/run-llmo.js';
import { initVault, llmo, writePasswordFile } from './helpers/vault-home.js';

const PASSWORD = 'crash test password';
const homes: string[] = [];
afterAll(() => homes.forEach(removeHome));

function newHome(): string {
  const home = makeHome();
  homes.push(home);
  return home;
}

async function openVault(file: string) {
  const bytes = readFileSync(file);
  const dataKey = await unwrapWithPassword(bytes, new Secret(PASSWORD), file);
  return readEntries(bytes, dataKey, file);
}

describe('SIGKILL in the middle of a write', () => {
  let writerScript: string;

  beforeAll(async () => {
    const directory = path.join(newHome(), 'writer');
    mkdirSync(directory);
    writerScript = path.join(directory, 'vault-writer.mjs');
    await build({
      entryPoints: [path.join(repoRoot, 'test', 'helpers', 'vault-writer.ts')],
      outfile: writerScript,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
    });
  });

  // Heavy: 60 processes started and killed. Its own generous timeout for a busy 2-core machine.
  it('60 kills: the vault always opens, holding the last committed write or the one in flight', { timeout: 240_000 }, async () => {
    const home = newHome();
    const passwordFile = await initVault(home, PASSWORD);
    const file = path.join(home, 'vault.bin');
    let committed = 0;
    let midWrite = 0;
    const kills = 60;
    for (let round = 0; round < kills; round += 1) {
      const writer = spawn(process.execPath, [writerScript, file, passwordFile], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise((resolve) => writer.on('exit', resolve));
      let printed = '';
      writer.stdout.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
      // Let it commit at least one write, then kill it at a random moment of its loop.
      await new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (printed.includes('\n')) {
            clearInterval(check);
            resolve();
          }
        }, 2);
      });
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 25));
      writer.kill('SIGKILL');
      await exited;
      const lastPrinted = Number(printed.trim().split('\n').at(-1));
      const counter = Number((await openVault(file)).get('counter')?.key.reveal());
      // Printed after commit: the file holds that write, or the next one if it committed unprinted.
      expect([lastPrinted, lastPrinted + 1], `round ${round}`).toContain(counter);
      expect(counter).toBeGreaterThan(committed);
      committed = counter;
      if (readdirSync(home).some((name) => name.endsWith('.tmp') || name === 'vault.bin.lock')) midWrite += 1;
    }
    console.log(`${kills} writers killed; ${midWrite} left a lock or temp file behind (killed mid-write); ${committed} writes committed`);
    expect(midWrite).toBeGreaterThan(0);

    // The next writer recovers the dead writers' lock and sweeps their temp files.
    writePasswordFile(home, PASSWORD);
    const add = await llmo(home, ['auth', 'add', 'openai', '--password-file', passwordFile], { input: 'sk-after-the-crashes-0123456789' });
    expect(add.code, add.stderr).toBe(0);
    expect(
      readdirSync(home)
        .filter((name) => name.includes('vault'))
        .sort(),
    ).toEqual(['vault.bin', 'vault.bin.providers']);
    const entries = await openVault(file);
    expect(entries.get('counter')?.key.reveal()).toBe(String(committed));
    expect(entries.get('openai')?.key.reveal()).toBe('sk-after-the-crashes-0123456789');
  });

  it('killing `llmo auth add` processes at random moments never leaves an unreadable vault', { timeout: 120_000 }, async () => {
    const home = newHome();
    const passwordFile = await initVault(home, PASSWORD);
    const file = path.join(home, 'vault.bin');
    for (let round = 0; round < 8; round += 1) {
      const child = spawn(
        process.execPath,
        [path.join(repoRoot, 'bin', 'llmo.js'), 'auth', 'add', 'openai', '--password-file', passwordFile],
        {
          env: { ...process.env, LLMO_HOME: home, LLMO_VAULT_TEST_SCRYPT_LOG2N: '8' },
          stdio: ['pipe', 'ignore', 'ignore'],
        },
      );
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.stdin.end(`sk-round-${round}-0123456789abcdef`);
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 300));
      child.kill('SIGKILL');
      await exited;
      const key = (await openVault(file)).get('openai')?.key.reveal();
      expect([undefined, ...Array.from({ length: round + 1 }, (_, index) => `sk-round-${index}-0123456789abcdef`)]).toContain(key);
    }
  });
});

describe('concurrent writers', () => {
  it('8 `llmo auth add` processes at once: all 8 keys are there', { timeout: 120_000 }, async () => {
    const home = newHome();
    const providers = Array.from({ length: 8 }, (_, index) => `p${index + 1}`);
    writeFileSync(
      path.join(home, 'models.yaml'),
      providers
        .map((name) => `${name}:\n  api: openai\n  api_key_name: ${name.toUpperCase()}_API_KEY\n  base_url: http://127.0.0.1:9/v1\n`)
        .join(''),
    );
    const passwordFile = await initVault(home, PASSWORD);
    const results = await Promise.all(
      providers.map((provider) =>
        llmo(home, ['auth', 'add', provider, '--password-file', passwordFile], { input: `sk-${provider}-0123456789abcdef` }),
      ),
    );
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const entries = await openVault(path.join(home, 'vault.bin'));
    expect([...entries.keys()].sort()).toEqual(providers);
    for (const provider of providers) expect(entries.get(provider)?.key.reveal()).toBe(`sk-${provider}-0123456789abcdef`);
  });
});
