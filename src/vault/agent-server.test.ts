import { existsSync, mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { callAgent } from './agent-client.js';
import { agentSocketPath } from './agent-protocol.js';
import { endAndWipe, startAgentServer } from './agent-server.js';
import { ensurePrivateDir } from './private-dir.js';
import { SecretBytes } from './secret.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const KEY = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');

async function agent(options: { idleMs?: number; maxMs?: number; watchMs?: number } = {}) {
  const runtimeDir = path.join(mkdtempSync(path.join(tmpdir(), 'llmo-agent-')), 'run');
  roots.push(path.dirname(runtimeDir));
  ensurePrivateDir(runtimeDir);
  const previous = process.umask(0o177);
  const key = Buffer.from(KEY);
  const server = await startAgentServer({
    socketPath: agentSocketPath(runtimeDir),
    dataKey: new SecretBytes(key),
    idleMs: options.idleMs ?? 60_000,
    maxMs: options.maxMs ?? 120_000,
    ...(options.watchMs ? { watchMs: options.watchMs } : {}),
  }).finally(() => process.umask(previous));
  return { runtimeDir, server, key };
}

describe('the agent', () => {
  it('hands out the data key over a 0600 socket in a 0700 directory', async () => {
    const { runtimeDir, server } = await agent();
    expect(statSync(agentSocketPath(runtimeDir)).mode & 0o777).toBe(0o600);
    expect(statSync(runtimeDir).mode & 0o777).toBe(0o700);
    const reply = await callAgent(runtimeDir, { op: 'get' });
    expect(reply?.dataKey?.reveal()).toEqual(KEY);
    expect(reply?.status.pid).toBe(process.pid);
    const started = performance.now();
    for (let i = 0; i < 50; i += 1) (await callAgent(runtimeDir, { op: 'get' }))?.dataKey?.dispose();
    console.log(`agent round trip (connect, get the key, close): ${((performance.now() - started) / 50).toFixed(2)} ms`);
    server.stop('test');
    await server.stopped;
  });

  it('answers "no agent" (not an error) when nothing listens', async () => {
    const runtimeDir = path.join(mkdtempSync(path.join(tmpdir(), 'llmo-agent-')), 'run');
    roots.push(path.dirname(runtimeDir));
    expect(await callAgent(runtimeDir, { op: 'ping' })).toBeUndefined();
    ensurePrivateDir(runtimeDir);
    expect(await callAgent(runtimeDir, { op: 'ping' })).toBeUndefined();
  });

  it('slides the idle timeout on each use, then drops and wipes the key', async () => {
    // The agent's clock and timers are the test's: time passes when the test says so.
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      const { runtimeDir, server, key } = await agent({ idleMs: 1_000 });
      for (let i = 0; i < 5; i += 1) {
        vi.advanceTimersByTime(250);
        expect((await callAgent(runtimeDir, { op: 'get' }))?.dataKey).toBeDefined();
      }
      // Used every 250 ms for longer than one idle period: it stayed; left alone, it goes.
      vi.advanceTimersByTime(999);
      expect((await callAgent(runtimeDir, { op: 'ping' }))?.status.pid).toBe(process.pid);
      vi.advanceTimersByTime(1_000);
      expect(await server.stopped).toBe('idle timeout');
      expect(key.every((byte) => byte === 0)).toBe(true);
      expect(existsSync(agentSocketPath(runtimeDir))).toBe(false);
      expect(await callAgent(runtimeDir, { op: 'get' })).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('proves it holds the key of its vault, which a client holding that key can check', async () => {
    const runtimeDir = path.join(mkdtempSync(path.join(tmpdir(), 'llmo-agent-')), 'run');
    roots.push(path.dirname(runtimeDir));
    ensurePrivateDir(runtimeDir);
    const server = await startAgentServer({
      socketPath: agentSocketPath(runtimeDir),
      dataKey: new SecretBytes(Buffer.from(KEY)),
      idleMs: 60_000,
      maxMs: 120_000,
      vault: 'fingerprint-of-a',
    });
    const reply = (await callAgent(runtimeDir, { op: 'ping' }))!;
    expect(reply.proves(new SecretBytes(Buffer.from(KEY)), 'fingerprint-of-a')).toBe(true);
    expect(reply.proves(new SecretBytes(Buffer.alloc(32, 9)), 'fingerprint-of-a')).toBe(false);
    expect(reply.proves(new SecretBytes(Buffer.from(KEY)), 'fingerprint-of-b')).toBe(false);
    // Each request has its own challenge: an old proof is worth nothing to the next client.
    const next = (await callAgent(runtimeDir, { op: 'ping' }))!;
    expect(next.proves(new SecretBytes(Buffer.from(KEY)), 'fingerprint-of-a')).toBe(true);
    server.stop('test');
    await server.stopped;
  });

  it('goes by the wall clock: after the machine slept past the idle timeout, it hands out nothing', async () => {
    const { runtimeDir, server, key } = await agent({ idleMs: 15 * 60_000, maxMs: 12 * 3_600_000 });
    expect((await callAgent(runtimeDir, { op: 'get' }))?.dataKey).toBeDefined();
    // A suspend stops the monotonic clock timers run on; the wall clock jumps ahead a night.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 8 * 3_600_000);
      expect(await callAgent(runtimeDir, { op: 'get' })).toBeUndefined();
      expect(await server.stopped).toBe('idle timeout');
      expect(key.every((byte) => byte === 0)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never outlives its hard maximum, however busy', async () => {
    const { runtimeDir, server } = await agent({ idleMs: 10_000, maxMs: 300 });
    const status = (await callAgent(runtimeDir, { op: 'get' }))!.status;
    expect(status.hardExpiresAt - status.startedAt).toBe(300);
    expect(status.idleExpiresAt).toBeLessThanOrEqual(status.hardExpiresAt);
    expect(await server.stopped).toBe('maximum lifetime reached');
  });

  it('set-ttl changes the idle timeout, capped by the maximum', async () => {
    const { runtimeDir, server } = await agent({ idleMs: 60_000, maxMs: 120_000 });
    const status = (await callAgent(runtimeDir, { op: 'set-ttl', idleMs: 10 * 3_600_000 }))!.status;
    expect(status.idleMs).toBe(120_000);
    server.stop('test');
  });

  it('stops on request (llmo auth lock) and wipes the key', async () => {
    const { runtimeDir, server, key } = await agent();
    await callAgent(runtimeDir, { op: 'stop' });
    expect(await server.stopped).toBe('locked');
    expect(key.every((byte) => byte === 0)).toBe(true);
  });

  it('stops when its socket file disappears (its directory was removed)', async () => {
    const { runtimeDir, server } = await agent({ watchMs: 50 });
    unlinkSync(agentSocketPath(runtimeDir));
    expect(await server.stopped).toBe('socket removed');
  });

  it('refuses to start beside a live agent, and replaces a dead one’s socket file', async () => {
    const { runtimeDir, server } = await agent();
    await expect(
      startAgentServer({ socketPath: agentSocketPath(runtimeDir), dataKey: new SecretBytes(Buffer.from(KEY)), idleMs: 1000, maxMs: 1000 }),
    ).rejects.toThrow(/already running/);
    server.stop('test');
    await server.stopped;
  });

  it('does not trust a socket in a directory others can enter', async () => {
    const { runtimeDir, server } = await agent();
    const { chmodSync } = await import('node:fs');
    chmodSync(runtimeDir, 0o755);
    await expect(callAgent(runtimeDir, { op: 'get' })).rejects.toThrow(/open to other users/);
    server.stop('test');
  });

  it('ignores malformed requests', async () => {
    const { runtimeDir, server } = await agent();
    const net = await import('node:net');
    const answer = await new Promise<string>((resolve) => {
      const socket = net.createConnection(agentSocketPath(runtimeDir), () => socket.write('{"op":"dump"}\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('end', () => resolve(text));
    });
    expect(JSON.parse(answer)).toEqual({ ok: false, error: 'bad request' });
    server.stop('test');
  });
});

describe('endAndWipe', () => {
  it('delivers a reply holding the key, then zeroes the buffer the socket was given', async () => {
    const runtimeDir = path.join(mkdtempSync(path.join(tmpdir(), 'llmo-agent-')), 'run');
    roots.push(path.dirname(runtimeDir));
    ensurePrivateDir(runtimeDir);
    const socketPath = path.join(runtimeDir, 'wipe.sock');
    const reply = Buffer.concat([Buffer.from('{"ok":true,"keyLength":32}\n'), KEY]);
    const sent = Buffer.from(reply);
    const server = net.createServer((socket) => endAndWipe(socket, sent));
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    const received = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      net
        .createConnection(socketPath)
        .on('data', (chunk) => chunks.push(chunk))
        .on('close', () => resolve(Buffer.concat(chunks)));
    });
    await new Promise((resolve) => server.close(resolve));
    expect(received).toEqual(reply);
    expect(sent.every((byte) => byte === 0)).toBe(true);
  });
});
