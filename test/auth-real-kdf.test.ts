/**
 * What the vault costs with the real, calibrated scrypt parameters (no test hook): init
 * calibrates and records the cost in the header, `auth unlock` pays it once, and asks through
 * the agent never pay it again. Prints the numbers for the record.
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
  it('init calibrates (≥ 2^17, r=8, p=1, as the header records); unlock pays it once, asks through the agent do not', async () => {
    const home = newHome();
    const bare = newHome();
    const passwordFile = writePasswordFile(home, PASSWORD);
    const real = (args: string[], env: Record<string, string | undefined> = {}, input?: string) =>
      runLlmo(args, { home, env: { ...fake.env(), ...env }, ...(input ? { input } : {}) });
    const timed = async (run: () => Promise<{ code: number | null; stderr: string }>) => {
      const started = performance.now();
      const result = await run();
      expect(result.code, result.stderr).toBe(0);
      return performance.now() - started;
    };

    const initMs = await timed(() => real(['auth', 'init', '--password-file', passwordFile]));
    const init = await real(['auth', 'status']);
    const chosen = /kdf\s+scrypt N=2\^(\d+), r=(\d+), p=(\d+)/.exec(init.stdout);
    const header = readFileSync(path.join(home, 'vault.bin'));
    const params = [header.readUInt32BE(10), header.readUInt32BE(14), header.readUInt32BE(18)];
    expect(params).toEqual([Number(chosen![1]), 8, 1]);
    expect(params[0]).toBeGreaterThanOrEqual(17);
    expect(params[0]).toBeLessThanOrEqual(20);
    await timed(() => real(['auth', 'add', 'openai', '--password-file', passwordFile], {}, OPENAI_KEY));

    const withPassword = [];
    for (let i = 0; i < 2; i += 1)
      withPassword.push(await timed(() => real(['ask', '--no-save', '-m', 'openai', 'hi'], { LLMO_PASSWORD_FILE: passwordFile })));
    const unlockMs = await timed(() => real(['auth', 'unlock', '--password-file', passwordFile]));
    const withAgent = [];
    const withEnvOnly = [];
    for (let i = 0; i < 3; i += 1) {
      withAgent.push(await timed(() => real(['ask', '--no-save', '-m', 'openai', 'hi'])));
      withEnvOnly.push(
        await timed(() =>
          runLlmo(['ask', '--no-save', '-m', 'openai', 'hi'], { home: bare, env: { ...fake.env(), OPENAI_API_KEY: OPENAI_KEY } }),
        ),
      );
    }
    await real(['auth', 'lock']);
    const mean = (values: number[]) => Math.round(values.reduce((sum, value) => sum + value, 0) / values.length);
    console.log(
      [
        `real KDF: scrypt N=2^${params[0]}, r=8, p=1 (init ${Math.round(initMs)} ms incl. calibration)`,
        `auth unlock --password-file: ${Math.round(unlockMs)} ms`,
        `ask, vault locked, LLMO_PASSWORD_FILE (KDF every call): ${withPassword.map(Math.round).join(', ')} ms (mean ${mean(withPassword)})`,
        `ask through the agent: ${withAgent.map(Math.round).join(', ')} ms (mean ${mean(withAgent)})`,
        `ask with OPENAI_API_KEY, no vault: ${withEnvOnly.map(Math.round).join(', ')} ms (mean ${mean(withEnvOnly)})`,
      ].join('\n'),
    );
    expect(fake.requestsFor('openai').every((request) => request.headers.authorization === `Bearer ${OPENAI_KEY}`)).toBe(true);
    // Not a timing assertion so much as a KDF one: a call that derives a key pays far more than one that asks the agent.
    expect(mean(withAgent)).toBeLessThan(mean(withPassword));
  });
});
