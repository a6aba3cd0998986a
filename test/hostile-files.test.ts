/**
 * Files that are not what llmo expects, and places it cannot write: a FIFO or a symlink to
 * /dev/zero as vault.bin, a YAML alias bomb, a home on a file system that refuses writes. Each is
 * a one-line error with its own exit code, never a hang, a 4 GB read or "internal error".
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeHome, removeHome } from './helpers/run-llmo.js';
import { llmo, writePasswordFile } from './helpers/vault-home.js';

let home: string;
beforeEach(() => {
  home = makeHome();
});
afterEach(() => removeHome(home));

describe.runIf(process.platform === 'linux')('special files in place of vault.bin', () => {
  it('a FIFO fails at once with exit 4, without waiting for a writer', async () => {
    execFileSync('mkfifo', [path.join(home, 'vault.bin')]);
    const passwordFile = writePasswordFile(home, 'correct horse battery staple');
    // The run's own timeout (5 s) would kill a hung llmo: then code is null, not 4.
    const result = await llmo(home, ['auth', 'list', '--password-file', passwordFile], { timeoutMs: 5_000 });
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toMatch(/^llmo: cannot read the vault: .*vault\.bin is not a regular file \(a named pipe\)/);
  });

  it('a symlink to /dev/zero fails at once with exit 4', async () => {
    symlinkSync('/dev/zero', path.join(home, 'vault.bin'));
    const result = await llmo(home, ['auth', 'status'], { timeoutMs: 5_000 });
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toContain('is not a regular file (a character device)');
  });
});

describe('configuration files', () => {
  it('a YAML alias bomb is a configuration error (exit 3)', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 9; level++) {
      const name = String.fromCharCode(97 + level);
      const previous = String.fromCharCode(96 + level);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    writeFileSync(path.join(home, 'config.yaml'), `${lines.join('\n')}\n`);
    const result = await llmo(home, ['config', 'get', 'budgets'], { timeoutMs: 10_000 });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/config\.yaml: too many YAML aliases/);
  });

  it.runIf(process.platform === 'linux')('a FIFO as .llmo.yaml fails at once with exit 3', async () => {
    const project = path.join(home, 'project');
    mkdirSync(project);
    execFileSync('mkfifo', [path.join(project, '.llmo.yaml')]);
    const result = await llmo(home, ['config', 'get', 'budgets'], { cwd: project, timeoutMs: 5_000 });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('is not a regular file (a named pipe)');
  });
});

describe.runIf(process.platform === 'linux')('a home llmo cannot write', () => {
  // /sys refuses new entries to everyone, root included (EPERM, or EACCES; EROFS in some containers).
  const unwritable = '/sys/llmo-test-home';

  it('auth init and config set exit 9 naming the path, not "internal error"', async () => {
    const passwordFile = writePasswordFile(home, 'correct horse battery staple');
    for (const args of [
      ['auth', 'init', '--password-file', passwordFile],
      ['config', 'set', 'budgets.daily_usd', '5'],
    ]) {
      const result = await llmo(home, args, { env: { LLMO_HOME: unwritable } });
      expect(result.code, result.stderr).toBe(9);
      expect(result.stderr).toContain(`llmo: cannot create ${unwritable}`);
      expect(result.stderr).not.toContain('internal error');
    }
  });
});
