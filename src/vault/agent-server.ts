/**
 * The agent: holds the data key in memory and hands it to llmo processes of the same user over
 * a unix socket (0600, in a 0700 directory — the permission check is the peer check). The key is
 * dropped, the socket removed and the process ended when the idle timeout passes without a
 * request (it slides), when the hard maximum is reached, on `stop`, on SIGTERM, or when the
 * socket file disappears (its directory was removed).
 */
import { existsSync, lstatSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import type { SecretBytes } from './secret.js';
import { agentProof, MAX_REQUEST_BYTES, type AgentMessage, type AgentResponse, type AgentStatus } from './agent-protocol.js';

export interface AgentServerOptions {
  socketPath: string;
  dataKey: SecretBytes;
  idleMs: number;
  maxMs: number;
  /** The fingerprint of the vault the key opens, told to every client. */
  vault?: string | undefined;
  /** How often to check that the socket file is still ours (default 5 s). */
  watchMs?: number;
}

export interface AgentServer {
  status(): AgentStatus;
  stop(reason: string): void;
  /** Resolves with the reason once the key is wiped and the socket closed. */
  stopped: Promise<string>;
}

export async function startAgentServer(options: AgentServerOptions): Promise<AgentServer> {
  const startedAt = Date.now();
  let idleMs = Math.min(options.idleMs, options.maxMs);
  let idleExpiresAt = startedAt + idleMs;
  const hardExpiresAt = startedAt + options.maxMs;
  let expiryTimer: NodeJS.Timeout | undefined;
  let watch: NodeJS.Timeout | undefined;
  let resolveStopped: (reason: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => (resolveStopped = resolve));
  let stopping = false;

  const status = (): AgentStatus => ({ pid: process.pid, startedAt, idleExpiresAt, hardExpiresAt, idleMs, vault: options.vault });

  // The idle deadline is capped at the hard one; when they meet, the maximum is what ended it
  // (a timer may fire a millisecond before Date.now() reaches the deadline it was set for).
  const expiryReason = () => (Date.now() >= hardExpiresAt || idleExpiresAt >= hardExpiresAt ? 'maximum lifetime reached' : 'idle timeout');

  const armExpiry = () => {
    clearTimeout(expiryTimer);
    const delay = Math.max(0, Math.min(idleExpiresAt, hardExpiresAt) - Date.now());
    expiryTimer = setTimeout(() => stop(expiryReason()), delay);
  };

  /**
   * Timers run on the monotonic clock, which stands still while the machine sleeps: after a
   * night's suspend a 15-minute timer still has minutes to go. The wall clock decides.
   */
  const stopIfExpired = (): boolean => {
    if (Date.now() < Math.min(idleExpiresAt, hardExpiresAt)) return false;
    stop(expiryReason());
    return true;
  };

  const slide = () => {
    idleExpiresAt = Math.min(Date.now() + idleMs, hardExpiresAt);
    armExpiry();
  };

  const server = net.createServer((socket) => serve(socket));
  let socketInode: number | undefined;

  function stop(reason: string): void {
    if (stopping) return;
    stopping = true;
    clearTimeout(expiryTimer);
    clearInterval(watch);
    options.dataKey.dispose();
    server.close(() => resolveStopped(reason));
    removeSocketIfOurs();
  }

  function removeSocketIfOurs(): void {
    if (process.platform === 'win32') return;
    try {
      if (lstatSync(options.socketPath).ino === socketInode) unlinkSync(options.socketPath);
    } catch {
      // already gone
    }
  }

  function serve(socket: net.Socket): void {
    socket.setTimeout(5_000, () => socket.destroy());
    let received = Buffer.alloc(0);
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const newline = received.indexOf(0x0a);
      if (newline < 0) {
        if (received.length > MAX_REQUEST_BYTES) socket.destroy();
        return;
      }
      socket.removeAllListeners('data');
      answer(socket, parseRequest(received.subarray(0, newline).toString('utf8')));
    });
  }

  function answer(socket: net.Socket, request: AgentMessage | undefined): void {
    const reply = (response: AgentResponse, key?: Buffer) => {
      // Every answer proves the key for this vault to a client that asked (see agentProof).
      if (response.ok && request?.challenge !== undefined && !stopping) {
        response.proof = agentProof(options.dataKey.reveal(), options.vault ?? '', Buffer.from(request.challenge, 'base64')).toString(
          'base64',
        );
      }
      if (key) endAndWipe(socket, Buffer.concat([Buffer.from(`${JSON.stringify(response)}\n`), key]));
      else socket.end(`${JSON.stringify(response)}\n`);
    };
    if (!stopping) stopIfExpired();
    if (!request || stopping) {
      reply({ ok: false, error: stopping ? 'stopping' : 'bad request' });
      return;
    }
    switch (request.op) {
      case 'ping':
        reply({ ok: true, ...status() });
        return;
      case 'get': {
        slide();
        const key = options.dataKey.reveal();
        reply({ ok: true, ...status(), keyLength: key.length }, key);
        return;
      }
      case 'set-ttl':
        idleMs = Math.min(request.idleMs, options.maxMs);
        slide();
        reply({ ok: true, ...status() });
        return;
      case 'stop':
        reply({ ok: true, ...status() });
        stop('locked');
        return;
    }
  }

  await listen(server, options.socketPath);
  if (process.platform !== 'win32') socketInode = lstatSync(options.socketPath).ino;
  armExpiry();
  watch = setInterval(() => {
    if (stopIfExpired() || process.platform === 'win32') return;
    try {
      if (lstatSync(options.socketPath).ino !== socketInode) stop('socket replaced');
    } catch {
      stop('socket removed');
    }
  }, options.watchMs ?? 5_000);
  watch.unref();
  return { status, stop, stopped };
}

/**
 * Sends the last bytes of a reply that holds the data key, then wipes them: the socket keeps a
 * reference to the very buffer until the kernel has it, so it is zeroed only once written (or
 * once the connection is gone), never left for the garbage collector with the key inside.
 */
export function endAndWipe(socket: net.Socket, bytes: Buffer): void {
  const wipe = () => bytes.fill(0);
  socket.once('close', wipe);
  socket.end(bytes, wipe);
}

function parseRequest(line: string): AgentMessage | undefined {
  try {
    const value = JSON.parse(line) as { op?: unknown; idleMs?: unknown; challenge?: unknown };
    const challenge = typeof value.challenge === 'string' && value.challenge.length <= 64 ? { challenge: value.challenge } : {};
    if (value.op === 'ping' || value.op === 'get' || value.op === 'stop') return { op: value.op, ...challenge };
    if (value.op === 'set-ttl' && typeof value.idleMs === 'number' && value.idleMs > 0)
      return { op: 'set-ttl', idleMs: value.idleMs, ...challenge };
  } catch {
    // fall through
  }
  return undefined;
}

/** Listens on the socket; a leftover socket file from a dead agent is replaced, a live agent is not. */
async function listen(server: net.Server, socketPath: string): Promise<void> {
  if (process.platform !== 'win32' && existsSync(socketPath)) {
    if (await answers(socketPath)) throw new Error('another agent is already running');
    unlinkSync(socketPath);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      // Another agent bound the path between our check and our listen.
      reject(error.code === 'EADDRINUSE' ? new Error('another agent is already running') : error);
    });
    server.listen(socketPath, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createConnection(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
