/**
 * What the agent and its clients say over the socket. A request is one JSON line. A response is
 * one JSON line; when it carries the data key, its `keyLength` raw bytes follow the newline, so
 * the key never becomes a (non-wipeable) JS string on either side.
 */
import path from 'node:path';
import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { PREFIX_LENGTH } from './vault-format.js';

export type AgentRequest = { op: 'ping' } | { op: 'get' } | { op: 'set-ttl'; idleMs: number } | { op: 'stop' };

/** What goes over the wire: the request and the client's fresh challenge (base64 of 32 random bytes). */
export type AgentMessage = AgentRequest & { challenge?: string };

export interface AgentStatus {
  pid: number;
  startedAt: number;
  /** The key is dropped at the earlier of these two (epoch ms). */
  idleExpiresAt: number;
  hardExpiresAt: number;
  idleMs: number;
  /** The fingerprint (`vaultFingerprint`) of the vault the agent was unlocked for. */
  vault?: string | undefined;
}

export type AgentResponse = ({ ok: true; keyLength?: number; proof?: string } & AgentStatus) | { ok: false; error: string };

export const MAX_REQUEST_BYTES = 1024;
export const DEFAULT_IDLE_MS = 15 * 60 * 1000;
export const MAX_LIFETIME_MS = 12 * 60 * 60 * 1000;
export const AGENT_TITLE = 'llmo-agent';

/**
 * The runtime directory of one vault: `<runtime>/vault-<12 hex of the vault file's path>`. Two
 * vaults whose homes share a runtime directory (different XDG_CONFIG_HOME, one XDG_RUNTIME_DIR)
 * get an agent, a socket and session files each, so one vault's key never reaches the other's
 * commands and `lock` in one leaves the other unlocked.
 */
export function vaultRuntimeDir(runtimeDir: string, vaultFile: string): string {
  return path.join(runtimeDir, `vault-${createHash('sha256').update(path.resolve(vaultFile)).digest('hex').slice(0, 12)}`);
}

/** Where the agent listens: a unix socket in the vault's runtime directory (a named pipe on Windows). */
export function agentSocketPath(runtimeDir: string): string {
  if (process.platform === 'win32') {
    return `\\\\.\\pipe\\llmo-agent-${createHash('sha256').update(runtimeDir).digest('hex').slice(0, 16)}`;
  }
  return path.join(runtimeDir, 'agent.sock');
}

/**
 * Which vault a key belongs to, without the key: a hash of the header and the wrapped data key.
 * A damaged payload leaves it unchanged (so a key that no longer opens it means damage); a
 * re-created vault, or another one, has another fingerprint (so the key is the wrong agent's).
 */
export function vaultFingerprint(vaultBytes: Buffer): string {
  return createHash('sha256').update(vaultBytes.subarray(0, PREFIX_LENGTH)).digest('hex').slice(0, 32);
}

/**
 * The agent's answer to a client's challenge: an HMAC of it under a key derived from the data key
 * and the fingerprint of the vault the agent was unlocked for. Only a process holding this vault's
 * key can make it, so a client that holds (or has just been handed) the key checks it against the
 * vault it opened before trusting the process on the socket; a planted socket cannot.
 */
export function agentProof(dataKey: Buffer, vault: string, challenge: Buffer): Buffer {
  const proofKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.from(vault, 'utf8'), 'llmo agent proof v1', 32));
  try {
    return createHmac('sha256', proofKey).update(challenge).digest();
  } finally {
    proofKey.fill(0);
  }
}

export function proofMatches(dataKey: Buffer, vault: string, challenge: Buffer, proof: string | undefined): boolean {
  if (proof === undefined) return false;
  const given = Buffer.from(proof, 'base64');
  const expected = agentProof(dataKey, vault, challenge);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The earlier of the two expiries. */
export function expiresAt(status: AgentStatus): number {
  return Math.min(status.idleExpiresAt, status.hardExpiresAt);
}
