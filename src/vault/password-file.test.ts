import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuthError } from '../errors.js';
import { readPasswordFile } from './password-file.js';

const directory = mkdtempSync(path.join(tmpdir(), 'llmo-pwfile-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function file(name: string, content: string, mode = 0o600): string {
  const full = path.join(directory, name);
  writeFileSync(full, content);
  chmodSync(full, mode);
  return full;
}

describe('readPasswordFile', () => {
  it('does not repeat the name of a missing file: it may be the password itself, given by mistake', () => {
    let error: AuthError | undefined;
    try {
      readPasswordFile('hunter2-my-real-password');
    } catch (caught) {
      error = caught as AuthError;
    }
    expect(error).toBeInstanceOf(AuthError);
    expect(error!.exitCode).toBe(4);
    expect(error!.message).toBe('cannot read the password file: there is no such file');
    expect(`${error!.message} ${error!.hint}`).not.toContain('hunter2');
    expect(error!.hint).toContain('never the password itself');
  });

  it('drops one final line break and keeps everything else', () => {
    expect(readPasswordFile(file('a', 'pass word \n')).password.reveal()).toBe('pass word ');
    expect(readPasswordFile(file('b', 'pw\r\n')).password.reveal()).toBe('pw');
    expect(readPasswordFile(file('c', 'pw\n\n')).password.reveal()).toBe('pw\n');
  });

  it('NFC-normalises', () => {
    expect(readPasswordFile(file('d', 'cafe\u0301')).password.reveal()).toBe('caf\u00e9');
  });

  it('refuses an empty or missing file with exit 4, and warns about a world-readable one', () => {
    expect(() => readPasswordFile(file('e', '\n'))).toThrow(/is empty/);
    expect(() => readPasswordFile(directory)).toThrow(/cannot read the password file .*EISDIR/);
    expect(readPasswordFile(file('f', 'pw', 0o644)).warning).toMatch(/readable by other users/);
    expect(readPasswordFile(file('g', 'pw', 0o600)).warning).toBeUndefined();
  });
});
