import { describe, expect, it } from 'vitest';
import { calibratedLog2N, deriveKey, deriveNewKey, MAX_WRITE_LOG2N, MIN_LOG2N, scryptMemory, TEST_COST_VARIABLE } from './kdf.js';
import { AuthError } from '../errors.js';
import { Secret } from './secret.js';

const GiB = 1024 ** 3;

describe('scrypt calibration', () => {
  it('stays at the minimum 2^17 on a slow machine', () => {
    expect(calibratedLog2N(900, 16 * GiB)).toBe(MIN_LOG2N);
    expect(calibratedLog2N(5000, 16 * GiB)).toBe(MIN_LOG2N);
  });

  it('doubles N while the estimate stays within about a second', () => {
    expect(calibratedLog2N(340, 16 * GiB)).toBe(18); // 680 ms; 2^19 would take 1.4 s
    expect(calibratedLog2N(200, 16 * GiB)).toBe(19); // 800 ms
  });

  it('never writes more than 2^20, however fast the machine', () => {
    expect(calibratedLog2N(1, 64 * GiB)).toBe(MAX_WRITE_LOG2N);
  });

  it('never takes more than half the free memory', () => {
    // 2^18 with r=8 needs 256 MiB: not with 300 MiB free.
    expect(calibratedLog2N(10, 0.3 * GiB)).toBe(MIN_LOG2N);
  });

  it('asks for enough maxmem: 2^17 needs 128 MiB, four times node’s default limit', () => {
    expect(scryptMemory({ log2N: 17, r: 8, p: 1 })).toBeGreaterThan(128 * 1024 * 1024);
    expect(scryptMemory({ log2N: 22, r: 8, p: 1 })).toBeGreaterThan(4 * GiB);
  });

  it('calibrates for real when the test hook is not set: at least 2^17, r=8, p=1', async () => {
    const chosen = await deriveNewKey(new Secret('pw'), Buffer.alloc(16), {});
    console.log(`scrypt on this machine: 2^17 took ${Math.round(chosen.measuredMs)} ms; chose N=2^${chosen.params.log2N}`);
    expect(chosen.testHook).toBe(false);
    expect(chosen.params.log2N).toBeGreaterThanOrEqual(MIN_LOG2N);
    expect(chosen.params.log2N).toBeLessThanOrEqual(MAX_WRITE_LOG2N);
    expect([chosen.params.r, chosen.params.p]).toEqual([8, 1]);
    const again = await deriveKey(new Secret('pw'), Buffer.alloc(16), chosen.params);
    expect(again).toEqual(chosen.key);
  });

  it('honours the test hook, and only with a sane value', async () => {
    const chosen = await deriveNewKey(new Secret('pw'), Buffer.alloc(16), { [TEST_COST_VARIABLE]: '5' });
    expect(chosen).toMatchObject({ params: { log2N: 5, r: 8, p: 1 }, testHook: true });
    await expect(deriveNewKey(new Secret('pw'), Buffer.alloc(16), { [TEST_COST_VARIABLE]: '30' })).rejects.toThrow(/integer from 1 to 20/);
  });
});

describe('deriveKey failures', () => {
  it('turns scrypt refusing its parameters into a clear exit-4 error, not an internal one', async () => {
    // p·r above 2^30 is refused by OpenSSL outright (it throws synchronously).
    const error = await deriveKey(new Secret('pw'), Buffer.alloc(16), { log2N: 4, r: 8, p: 2 ** 28 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).exitCode).toBe(4);
    expect((error as AuthError).message).toMatch(
      /^cannot derive the vault key \(scrypt N=2\^4, r=8, p=268435456: ERR_CRYPTO_INVALID_SCRYPT_PARAMS\)$/,
    );
    expect((error as AuthError).hint).toMatch(/MiB of memory/);
  });
});
