import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SecretBytes } from './secret.js';
import { createSession, openSession, removeAllSessions, sessionsDir } from './session.js';

const root = mkdtempSync(path.join(tmpdir(), 'llmo-session-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const KEY = Buffer.alloc(32, 7);
const runtimeDir = path.join(root, 'run');

describe('exported sessions', () => {
  it('round-trip: the token opens a copy of the data key until it expires', () => {
    const token = createSession(runtimeDir, new SecretBytes(Buffer.from(KEY)), Date.now() + 60_000);
    expect(token).toMatch(/^v1\.[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$/);
    const opened = openSession(runtimeDir, token);
    expect(opened.state).toBe('open');
    if (opened.state === 'open') expect(opened.dataKey.reveal()).toEqual(KEY);
    const [file] = readdirSync(sessionsDir(runtimeDir));
    expect(statSync(path.join(sessionsDir(runtimeDir), file!)).mode & 0o777).toBe(0o600);
    expect(statSync(sessionsDir(runtimeDir)).mode & 0o777).toBe(0o700);
    // Neither the file nor the token holds the data key.
    expect(readFileSync(path.join(sessionsDir(runtimeDir), file!)).includes(KEY)).toBe(false);
    expect(Buffer.from(token).includes(KEY)).toBe(false);
  });

  it('an expired session opens nothing and its file is deleted', () => {
    const token = createSession(runtimeDir, new SecretBytes(Buffer.from(KEY)), Date.now() + 60_000);
    const id = token.split('.')[1]!;
    expect(openSession(runtimeDir, token, Date.now() + 120_000)).toEqual({ state: 'expired' });
    expect(existsSync(path.join(sessionsDir(runtimeDir), id))).toBe(false);
  });

  it('a wrong token, an edited expiry or a removed file open nothing', () => {
    const token = createSession(runtimeDir, new SecretBytes(Buffer.from(KEY)), Date.now() + 60_000);
    const [, id, key] = token.split('.') as [string, string, string];
    const otherKey = Buffer.alloc(32, 1).toString('base64url');
    expect(openSession(runtimeDir, `v1.${id}.${otherKey}`).state).toBe('invalid');
    expect(openSession(runtimeDir, 'garbage').state).toBe('invalid');
    const file = path.join(sessionsDir(runtimeDir), id);
    const bytes = readFileSync(file);
    bytes.writeBigUInt64BE(BigInt(Date.now() + 10 ** 9), 9);
    writeFileSync(file, bytes);
    expect(openSession(runtimeDir, token).state).toBe('invalid');
    expect(openSession(runtimeDir, `v1.${'0'.repeat(32)}.${key}`).state).toBe('missing');
  });

  it('lock removes them all', () => {
    createSession(runtimeDir, new SecretBytes(Buffer.from(KEY)), Date.now() + 60_000);
    expect(removeAllSessions(runtimeDir)).toBeGreaterThan(0);
    expect(readdirSync(sessionsDir(runtimeDir))).toEqual([]);
  });
});
