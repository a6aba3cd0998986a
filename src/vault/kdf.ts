/**
 * scrypt, the password-to-key step. The cost is chosen at `init` (and `passwd`): at least
 * N=2^17, r=8, p=1, raised while this machine still derives a key in about a second, but never
 * past 2^20 (1 GiB) or half the free memory. The file records the parameters, so a vault made
 * on a fast machine opens (more slowly) on a slow one.
 */
import { scrypt } from 'node:crypto';
import { AuthError, ConfigError } from '../errors.js';
import { freemem } from 'node:os';
import type { Secret } from './secret.js';
import { zero } from './secret.js';
import { KEY_LENGTH, type ScryptParams } from './vault-format.js';

export const MIN_LOG2N = 17;
export const MAX_WRITE_LOG2N = 20;
export const SCRYPT_R = 8;
export const SCRYPT_P = 1;
export const TARGET_MS = 1000;

/**
 * TEST HOOK, not a setting: makes init/passwd write a vault with scrypt N=2^value so test
 * suites do not spend a second (and 256 MiB) per vault. Reading is unaffected: it always uses
 * the parameters the file records. llmo warns on stderr whenever it honours this variable.
 */
export const TEST_COST_VARIABLE = 'LLMO_VAULT_TEST_SCRYPT_LOG2N';

/** Bytes scrypt needs for these parameters, plus slack; passed as `maxmem` so big N is allowed. */
export function scryptMemory(params: ScryptParams): number {
  return 128 * params.r * (2 ** params.log2N + params.p + 2) + 16 * 1024 * 1024;
}

/** The 32-byte password key. The password is NFC-normalised so the same text typed on any OS opens the vault. */
export function deriveKey(password: Secret, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const passwordBytes = Buffer.from(password.reveal().normalize('NFC'), 'utf8');
  return new Promise<Buffer>((resolve, reject) => {
    // scrypt throws synchronously for parameters it refuses (or memory it cannot get).
    scrypt(
      passwordBytes,
      salt,
      KEY_LENGTH,
      { N: 2 ** params.log2N, r: params.r, p: params.p, maxmem: scryptMemory(params) },
      (error, key) => {
        if (error) reject(error);
        else resolve(key);
      },
    );
  })
    .catch((error: unknown) => {
      throw kdfFailed(params, error);
    })
    .finally(() => zero(passwordBytes));
}

/** A clear exit-4 message instead of OpenSSL's, which would surface as an internal error. */
function kdfFailed(params: ScryptParams, error: unknown): AuthError {
  const reason = (error as NodeJS.ErrnoException)?.code ?? (error instanceof Error ? error.message : String(error));
  const mebibytes = Math.ceil(scryptMemory(params) / 2 ** 20);
  return new AuthError(`cannot derive the vault key (scrypt N=2^${params.log2N}, r=${params.r}, p=${params.p}: ${reason})`, {
    hint: `it needs about ${mebibytes} MiB of memory; free some, or open the vault on a machine that has it`,
  });
}

export interface ChosenKey {
  key: Buffer;
  params: ScryptParams;
  /** How long the minimum-cost derivation took on this machine. */
  measuredMs: number;
  /** The test hook chose the cost. */
  testHook: boolean;
}

/**
 * Derives the password key for a new wrap, choosing the cost. The first derivation at the
 * minimum cost doubles as the measurement: if the machine is too slow for more, it is the key.
 */
export async function deriveNewKey(password: Secret, salt: Buffer, env: NodeJS.ProcessEnv = process.env): Promise<ChosenKey> {
  const hook = testCost(env);
  if (hook !== undefined) {
    const params = { log2N: hook, r: SCRYPT_R, p: SCRYPT_P };
    return { key: await deriveKey(password, salt, params), params, measuredMs: 0, testHook: true };
  }
  const minimum = { log2N: MIN_LOG2N, r: SCRYPT_R, p: SCRYPT_P };
  const started = performance.now();
  const first = await deriveKey(password, salt, minimum);
  const measuredMs = performance.now() - started;
  const log2N = calibratedLog2N(measuredMs, freemem());
  if (log2N === MIN_LOG2N) return { key: first, params: minimum, measuredMs, testHook: false };
  zero(first);
  const params = { log2N, r: SCRYPT_R, p: SCRYPT_P };
  return { key: await deriveKey(password, salt, params), params, measuredMs, testHook: false };
}

/** Each doubling of N doubles the time: go up while the estimate stays within the target. */
export function calibratedLog2N(millisecondsAtMinimum: number, freeBytes: number): number {
  let log2N = MIN_LOG2N;
  let estimate = Math.max(millisecondsAtMinimum, 1);
  while (log2N < MAX_WRITE_LOG2N) {
    const next = { log2N: log2N + 1, r: SCRYPT_R, p: SCRYPT_P };
    if (estimate * 2 > TARGET_MS || scryptMemory(next) > freeBytes / 2) break;
    estimate *= 2;
    log2N += 1;
  }
  return log2N;
}

function testCost(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env[TEST_COST_VARIABLE];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > MAX_WRITE_LOG2N) {
    throw new ConfigError(`${TEST_COST_VARIABLE} must be an integer from 1 to ${MAX_WRITE_LOG2N}`);
  }
  return value;
}

/** True when the test hook would lower the cost; the CLI warns about it. */
export function testCostInEffect(env: NodeJS.ProcessEnv = process.env): boolean {
  return testCost(env) !== undefined;
}
