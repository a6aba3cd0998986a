import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { AuthError } from '../errors.js';
import { checkPrivateDir, ensurePrivateDir } from './private-dir.js';

const root = mkdtempSync(path.join(tmpdir(), 'llmo-private-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function refusal(action: () => void): AuthError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return error as AuthError;
  }
  throw new Error('expected a refusal');
}

describe.skipIf(process.platform === 'win32')('private directories', () => {
  it('refuses a directory someone else created first (/tmp/llmo-<uid>), and says how to get out', () => {
    const planted = path.join(root, 'planted');
    mkdirSync(planted, { mode: 0o777 });
    // Seen from another uid, the directory we just made belongs to "someone else".
    vi.spyOn(process, 'getuid').mockReturnValue((process.getuid?.() ?? 0) + 4242);
    const error = refusal(() => ensurePrivateDir(planted));
    expect(error.exitCode).toBe(4);
    expect(error.message).toMatch(/belongs to another user \(uid \d+\); llmo keeps no secrets where someone else can$/);
    expect(error.hint).toContain('XDG_RUNTIME_DIR');
  });

  it('refuses a symbolic link in place of the directory, naming it as one', () => {
    const real = path.join(root, 'real');
    mkdirSync(real, { mode: 0o700 });
    const link = path.join(root, 'link');
    symlinkSync(real, link);
    const error = refusal(() => checkPrivateDir(link, { repair: true }));
    expect(error.message).toBe(`${link} is a symbolic link, not a directory`);
    expect(error.hint).toContain('LLMO_HOME');
  });
});
