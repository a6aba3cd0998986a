/**
 * What the vault costs with the real, calibrated scrypt parameters (no test hook): init
 * calibrates and records the cost in the header, `auth unlock` pays it once, and asks through
 * the agent never pay it again. What that costs in time is measured by `npm run bench` (vault rows).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from './fake-providers/server.mjs';
import { makeHome, removeHome, runLlmo } from './helpers/run-llmo.js';
import { writePasswordFile } from './helpers/vault-home.js';

const OPENAI_KEY = 'sk-vault-openai-4f1c9d2e7a3b5c6d8e0f1a2b3c4d';
const PASSWORD = 'correct horse battery staple';

let fake: FakeProviders;
const homes: string[] = [];

beforeAll(async () => {
  fake = await startFakeProviders({ providers: ['openai'] });
});

afterAll(async () => {
  await Promise.all(homes.map((home) => runLlmo(['auth', 'lock'], { home })));
  homes.forEach(removeHome);
  await fake.close();
});

function newHome(): string {
  const home = makeHome();
  homes.push(home);
  return home;
}

describe('the real KDF cost (no test hook)', () => {
  // Real scrypt costs seconds of CPU per derivation, more on a busy machine: its own generous timeout.
  it('init calibrates (≥ 2^17, r=8, p=1, as the header records); a password file or the agent opens it', { timeout: 180_000 }, async () => {
    const home = newHome();
    const passwordFile = writePasswordFile(home, PASSWORD);
    const real = (args: string[], env: Record<string, string | undefined> = {}, input?: string) =>
      runLlmo(args, { home, env: { ...fake.env(), ...env }, ...(input ? { input } : {}) });
    const succeeds = async (run: () => Promise<{ code: number | null; stderr: string }>) => {
      const result = await run();
      expect(result.code, result.stderr).toBe(0);
    };

    await succeeds(() => real(['auth', 'init', '--password-file', passwordFile]));
    const init = await real(['auth', 'status']);
    const chosen = /kdf\s+scrypt N=2\^(\d+), r=(\d+), p=(\d+)/.exec(init.stdout);
    const header = readFileSync(path.join(home, 'vault.bin'));
    const params = [header.readUInt32BE(10), header.readUInt32BE(14), header.readUInt32BE(18)];
    expect(params).toEqual([Number(chosen![1]), 8, 1]);
    expect(params[0]).toBeGreaterThanOrEqual(17);
    expect(params[0]).toBeLessThanOrEqual(20);
    await succeeds(() => real(['auth', 'add', 'openai', '--password-file', passwordFile], {}, OPENAI_KEY));

    // One ask derives the key from the password file; after the unlock, one goes through the agent.
    // What each costs is `npm run bench`'s "llmo ask, vault via …" rows.
    await succeeds(() => real(['ask', '--no-save', '-m', 'openai', 'hi'], { LLMO_PASSWORD_FILE: passwordFile }));
    await succeeds(() => real(['auth', 'unlock', '--password-file', passwordFile]));
    await succeeds(() => real(['ask', '--no-save', '-m', 'openai', 'hi']));
    await real(['auth', 'lock']);
    expect(fake.requestsFor('openai').map((request) => request.headers.authorization)).toEqual(Array(2).fill(`Bearer ${OPENAI_KEY}`));
  });
});
