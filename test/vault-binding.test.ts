/**
 * An agent belongs to one vault. Two vaults whose homes share a runtime directory each unlock,
 * use and lock their own key; a key that does not open the vault is set aside as another
 * vault's, never reported as tampering; a socket planted where the agent listens gets no key
 * added through it, and the agent keeps none of the shell's API keys in its environment.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { vaultFingerprint } from '../src/vault/agent-protocol.js';
import { runLlmo } from './helpers/run-llmo.js';
import { TEST_COST, isAlive, writePasswordFile } from './helpers/vault-home.js';

const base = mkdtempSync(path.join(tmpdir(), 'llmo-binding-'));
const runtime = path.join(base, 'run');
mkdirSync(runtime, { mode: 0o700 });

function xdgHome(name: string) {
  const root = path.join(base, name);
  mkdirSync(root);
  return {
    root,
    vaultFile: path.join(root, 'config', 'llmo', 'vault.bin'),
    env: {
      ...TEST_COST,
      HOME: root,
      XDG_CONFIG_HOME: path.join(root, 'config'),
      XDG_DATA_HOME: path.join(root, 'data'),
      XDG_RUNTIME_DIR: runtime,
      LLMO_PASSWORD_FILE: undefined,
    },
  };
}

const a = xdgHome('a');
const b = xdgHome('b');
const run = (home: typeof a, args: string[], extra: Record<string, string | undefined> = {}, input?: string) =>
  runLlmo(args, { env: { ...home.env, ...extra }, cwd: home.root, input });

afterAll(async () => {
  await Promise.all([run(a, ['auth', 'lock']), run(b, ['auth', 'lock'])]);
  rmSync(base, { recursive: true, force: true });
});

async function setUp(home: typeof a, key: string): Promise<string> {
  const passwordFile = writePasswordFile(home.root, `password of ${path.basename(home.root)}`);
  expect((await run(home, ['auth', 'init', '--password-file', passwordFile])).code).toBe(0);
  expect((await run(home, ['auth', 'add', 'openai', '--password-file', passwordFile], {}, `${key}\n`)).code).toBe(0);
  return passwordFile;
}

describe('two vaults sharing one runtime directory', () => {
  it('each unlocks, reads and locks its own key', async () => {
    const passwordA = await setUp(a, 'sk-vault-a-0123456789abcdef0123');
    const passwordB = await setUp(b, 'sk-vault-b-0123456789abcdef4567');
    const unlockA = await run(a, ['auth', 'unlock', '--password-file', passwordA]);
    expect(unlockA.code, unlockA.stderr).toBe(0);
    const unlockB = await run(b, ['auth', 'unlock', '--password-file', passwordB]);
    expect(unlockB.code, unlockB.stderr).toBe(0);
    expect(unlockB.stderr).not.toContain('already unlocked');

    const listA = await run(a, ['auth', 'list']);
    const listB = await run(b, ['auth', 'list']);
    expect(listA.code, listA.stderr).toBe(0);
    expect(listB.code, listB.stderr).toBe(0);
    expect(listA.stdout).toContain('sk-…0123');
    expect(listB.stdout).toContain('sk-…4567');
    expect(listA.stderr + listB.stderr).not.toContain('tampered');

    const lockB = await run(b, ['auth', 'lock']);
    expect(lockB.code).toBe(0);
    expect((await run(a, ['auth', 'status'])).stdout).toMatch(/^state\s+unlocked by the agent/m);
    expect((await run(b, ['auth', 'status'])).stdout).toMatch(/^state\s+locked/m);
  });

  it('a re-created vault is not reported as tampered with by the old agent; unlock replaces the agent', async () => {
    // Replaced behind llmo's back (restored from a backup, copied from another machine).
    const passwordA = path.join(a.root, 'password.txt');
    const passwordB = path.join(b.root, 'password.txt');
    expect((await run(a, ['auth', 'unlock', '--password-file', passwordA])).code).toBe(0);
    writeFileSync(a.vaultFile, readFileSync(b.vaultFile));
    const listed = await run(a, ['auth', 'list']);
    expect(listed.stderr).not.toContain('tampered');
    expect(listed.stderr).toContain('does not open');
    expect(listed.code).toBe(4);
    const unlocked = await run(a, ['auth', 'unlock', '--password-file', passwordB]);
    expect(unlocked.code, unlocked.stderr).toBe(0);
    expect(unlocked.stderr).toContain('stopping the llmo agent');
    expect((await run(a, ['auth', 'list'])).code).toBe(0);
  });

  it('the agent has none of the shell API keys in its environment', async () => {
    const passwordB = path.join(b.root, 'password.txt');
    const unlocked = await run(b, ['auth', 'unlock', '--password-file', passwordB], { OPENAI_API_KEY: 'sk-shell-0123456789abcdef' });
    expect(unlocked.code, unlocked.stderr).toBe(0);
    const pid = Number(/pid (\d+)/.exec(unlocked.stderr)?.[1]);
    expect(isAlive(pid)).toBe(true);
    if (process.platform === 'linux') expect(readFileSync(`/proc/${pid}/environ`, 'utf8')).not.toMatch(/_API_KEY=|XDG_|HOME=/);
    expect((await run(b, ['auth', 'lock'])).code).toBe(0);
  });
});

/** A socket planted where llmo looks for A's agent; it records every line it is sent and answers `get` with a key of its own. */
async function plantSocket(received: string[], options: { key: boolean }) {
  const directory = path.join(runtime, 'llmo', `vault-${createHash('sha256').update(a.vaultFile).digest('hex').slice(0, 12)}`);
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const planted = net.createServer((socket) => {
    socket.on('data', (chunk) => {
      received.push(chunk.toString('utf8'));
      const header = {
        ok: true,
        pid: 1,
        startedAt: 0,
        idleExpiresAt: Date.now() + 60_000,
        hardExpiresAt: Date.now() + 60_000,
        idleMs: 60_000,
        // It knows which vault it stands in for (the fingerprint is no secret), and may claim it.
        vault: vaultFingerprint(readFileSync(a.vaultFile)),
        proof: Buffer.alloc(32, 1).toString('base64'),
        ...(options.key ? { keyLength: 32 } : {}),
      };
      socket.end(Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), options.key ? Buffer.alloc(32, 9) : Buffer.alloc(0)]));
    });
  });
  await new Promise<void>((resolve) => planted.listen(path.join(directory, 'agent.sock'), resolve));
  return () => new Promise((resolve) => planted.close(resolve));
}

/** Each line a client sent: a request and its challenge, nothing else. */
function expectOnlyChallenges(received: string[]) {
  const lines = received.join('').split('\n').filter(Boolean);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    const message = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(message).sort()).toEqual(expect.arrayContaining(['challenge', 'op']));
    expect(Object.keys(message).filter((key) => !['op', 'challenge', 'idleMs'].includes(key))).toEqual([]);
    expect(['ping', 'get', 'stop', 'set-ttl']).toContain(message.op);
  }
}

describe('a socket planted where the agent listens', () => {
  it('gets no key added through it: its key is refused because it does not open the vault', async () => {
    const received: string[] = [];
    await run(a, ['auth', 'lock']);
    const before = readFileSync(a.vaultFile);
    const close = await plantSocket(received, { key: true });
    try {
      const added = await run(a, ['auth', 'add', 'anthropic'], {}, 'sk-ant-new-0123456789abcdef\n');
      expect(added.code, added.stderr).toBe(4);
      expect(added.stderr).toContain('does not open');
      expect(readFileSync(a.vaultFile)).toEqual(before);
      expect(received.join('')).not.toContain('sk-ant-new');
      expectOnlyChallenges(received);
    } finally {
      await close();
    }
  });

  it('cannot pass itself off as the agent: unlock refuses what cannot prove it holds the key, and it receives only challenges', async () => {
    const received: string[] = [];
    // A's vault file is B's copy since the re-creation test: B's password opens it.
    const password = path.join(b.root, 'password.txt');
    await run(a, ['auth', 'lock']);
    const close = await plantSocket(received, { key: false });
    try {
      const unlocked = await run(a, ['auth', 'unlock', '--password-file', password]);
      expect(unlocked.code, unlocked.stderr).toBe(4);
      expect(unlocked.stderr).toContain('cannot prove it holds this vault');
      expect(unlocked.stderr).not.toMatch(/^llmo: unlocked/m);
      expectOnlyChallenges(received);
      // The password and the keys the vault holds never went near it.
      const sent = received.join('');
      expect(sent).not.toContain('password of');
      expect(sent).not.toContain('sk-vault-a');
    } finally {
      await close();
    }
  });
});
