/**
 * Talking to a running agent. "No agent" (no socket, nobody listening) is an answer, not an error.
 * Every request carries a fresh challenge and nothing else of value; the reply's proof tells a
 * client holding the key whether the process on the socket holds it too (agentProof).
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { AuthError } from '../errors.js';
import { SecretBytes, zero } from './secret.js';
import { checkPrivateDir } from './private-dir.js';
import { agentSocketPath, proofMatches, type AgentRequest, type AgentStatus } from './agent-protocol.js';

export interface AgentReply {
  status: AgentStatus;
  dataKey?: SecretBytes;
  /**
   * True when the agent proved it holds `dataKey` for the vault with fingerprint `vault`
   * (`vaultFingerprint` of the vault the client opened): the agent is this vault's, not a planted socket.
   */
  proves(dataKey: SecretBytes, vault: string): boolean;
}

/**
 * Sends one request. Resolves undefined when no agent runs. The runtime directory is checked
 * first (ours, 0700): a socket in a directory someone else controls is not trusted.
 */
export async function callAgent(runtimeDir: string, request: AgentRequest, timeoutMs = 3_000): Promise<AgentReply | undefined> {
  if (process.platform !== 'win32') {
    try {
      // The vault's own directory and the shared one above it: whoever controls the parent can
      // swap the child.
      checkPrivateDir(path.dirname(runtimeDir), { repair: false });
      checkPrivateDir(runtimeDir, { repair: false });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
  return exchange(agentSocketPath(runtimeDir), request, timeoutMs);
}

function exchange(socketPath: string, request: AgentRequest, timeoutMs: number): Promise<AgentReply | undefined> {
  const challenge = randomBytes(32);
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      outcome();
    };
    const timer = setTimeout(() => finish(() => reject(agentFailed('did not answer'))), timeoutMs);
    socket.on('connect', () => socket.write(`${JSON.stringify({ ...request, challenge: challenge.toString('base64') })}\n`));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') finish(() => resolve(undefined));
      else finish(() => reject(agentFailed(`cannot be reached (${error.code ?? error.message})`)));
    });
    socket.on('data', (chunk: Buffer) => {
      const previous = received;
      received = Buffer.concat([received, chunk]);
      zero(previous, chunk);
      const parsed = parseReply(received, challenge);
      if (parsed === 'incomplete') return;
      zero(received);
      finish(() => (parsed instanceof Error ? reject(parsed) : resolve(parsed)));
    });
    socket.on('end', () => {
      const parsed = parseReply(received, challenge);
      zero(received);
      finish(() => (parsed === 'incomplete' ? reject(agentFailed('hung up')) : parsed instanceof Error ? reject(parsed) : resolve(parsed)));
    });
  });
}

/** A stuck or broken agent: exit 4 with the way out, not an internal error. */
function agentFailed(what: string): AuthError {
  return new AuthError(`the llmo agent ${what}`, { hint: 'run `llmo auth lock` (or end the llmo-agent process), then `llmo auth unlock`' });
}

function parseReply(bytes: Buffer, challenge: Buffer): AgentReply | undefined | Error | 'incomplete' {
  const newline = bytes.indexOf(0x0a);
  if (newline < 0) return 'incomplete';
  let header: { ok?: boolean; error?: string; keyLength?: number; proof?: unknown } & AgentStatus;
  try {
    header = JSON.parse(bytes.subarray(0, newline).toString('utf8'));
  } catch {
    return agentFailed('sent a malformed reply');
  }
  // An agent on its way out (locked, expired) holds no key any more: the same as no agent.
  if (!header.ok && header.error === 'stopping') return undefined;
  if (!header.ok) return agentFailed(`refused: ${header.error ?? 'unknown error'}`);
  const { ok: _ok, keyLength, proof, ...status } = header;
  const proves = (dataKey: SecretBytes, vault: string) =>
    (status.vault ?? '') === vault && proofMatches(dataKey.reveal(), vault, challenge, typeof proof === 'string' ? proof : undefined);
  if (!keyLength) return { status, proves };
  if (bytes.length < newline + 1 + keyLength) return 'incomplete';
  return { status, dataKey: new SecretBytes(Buffer.from(bytes.subarray(newline + 1, newline + 1 + keyLength))), proves };
}
