/**
 * What the agent and its clients say over the socket. A request is one JSON line. A response is
 * one JSON line; when it carries the data key, its `keyLength` raw bytes follow the newline, so
 * the key never becomes a (non-wipeable) JS string on either side.
 */
import path from 'node:path';
import { createHash } from 'node:crypto';

export type AgentRequest = { op: 'ping' } | { op: 'get' } | { op: 'set-ttl'; idleMs: number } | { op: 'stop' };

export interface AgentStatus {
  pid: number;
  startedAt: number;
  /** The key is dropped at the earlier of these two (epoch ms). */
  idleExpiresAt: number;
  hardExpiresAt: number;
  idleMs: number;
}

export type AgentResponse = ({ ok: true; keyLength?: number } & AgentStatus) | { ok: false; error: string };

export const MAX_REQUEST_BYTES = 1024;
export const DEFAULT_IDLE_MS = 15 * 60 * 1000;
export const MAX_LIFETIME_MS = 12 * 60 * 60 * 1000;
export const AGENT_TITLE = 'llmo-agent';

/** Where the agent listens: a unix socket in the runtime directory (a named pipe on Windows). */
export function agentSocketPath(runtimeDir: string): string {
  if (process.platform === 'win32') {
    return `\\\\.\\pipe\\llmo-agent-${createHash('sha256').update(runtimeDir).digest('hex').slice(0, 16)}`;
  }
  return path.join(runtimeDir, 'agent.sock');
}

/** The earlier of the two expiries. */
export function expiresAt(status: AgentStatus): number {
  return Math.min(status.idleExpiresAt, status.hardExpiresAt);
}
