/**
 * Profiles end to end: `llmo profile list|create|remove`, `--profile NAME` and LLMO_PROFILE. Each
 * profile is a home of its own: its vault, conversations and agent serve no other profile.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from './fake-providers/server.mjs';
import { makeHome, removeHome } from './helpers/run-llmo.js';
import { expectOk, llmo, writePasswordFile } from './helpers/vault-home.js';

let home: string;
beforeEach(() => {
  home = makeHome();
});
afterEach(async () => {
  // Agents outlive the commands that start them: lock both before the home goes.
  await Promise.all([llmo(home, ['auth', 'lock']), llmo(home, ['--profile', 'work', 'auth', 'lock'])]);
  removeHome(home);
});

describe('llmo profile', () => {
  it('creates, lists (the one in use starred), and removes with --yes; never the default', async () => {
    expect((await expectOk(llmo(home, ['profile', 'list']))).stdout).toBe('* default\n');
    const created = await expectOk(llmo(home, ['profile', 'create', 'work']));
    expect(created.stdout).toContain(`created profile work in ${path.join(home, 'profiles', 'work')}`);
    expect((await llmo(home, ['profile', 'create', 'work'])).code).toBe(2);
    expect((await expectOk(llmo(home, ['profile', 'list']))).stdout).toBe('* default\n  work\n');
    expect((await expectOk(llmo(home, ['--profile', 'work', 'profile', 'list']))).stdout).toBe('  default\n* work\n');
    expect((await expectOk(llmo(home, ['profile', 'list'], { env: { LLMO_PROFILE: 'work' } }))).stdout).toBe('  default\n* work\n');

    const unasked = await llmo(home, ['profile', 'remove', 'work']);
    expect(unasked.code).toBe(2);
    expect(unasked.stderr).toContain('pass --yes to remove it');
    expect(existsSync(path.join(home, 'profiles', 'work'))).toBe(true);
    const defaultRemoved = await llmo(home, ['profile', 'remove', 'default', '--yes']);
    expect(defaultRemoved.code).toBe(2);
    expect(defaultRemoved.stderr).toContain('the default profile cannot be removed');
    await expectOk(llmo(home, ['profile', 'remove', 'work', '--yes']));
    expect(existsSync(path.join(home, 'profiles', 'work'))).toBe(false);
  });

  it('refuses a profile that does not exist (exit 3) and a name that is a path (exit 2)', async () => {
    const missing = await llmo(home, ['--profile', 'wrok', 'auth', 'status']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('no profile "wrok"');
    expect(missing.stderr).toContain('llmo profile create wrok');
    const climbing = await llmo(home, ['auth', 'status'], { env: { LLMO_PROFILE: '../elsewhere' } });
    expect(climbing.code).toBe(2);
    expect(climbing.stderr).toContain('"../elsewhere" is not a profile name');
  });
});

describe('two profiles keep two vaults', () => {
  it('a key added in one is absent in the other, both unlocked at once by agents of their own', async () => {
    await expectOk(llmo(home, ['profile', 'create', 'work']));
    const personal = writePasswordFile(home, 'personal password', 'personal.txt');
    const work = writePasswordFile(home, 'work password', 'work.txt');
    await expectOk(llmo(home, ['auth', 'init', '--password-file', personal]));
    await expectOk(llmo(home, ['--profile', 'work', 'auth', 'init', '--password-file', work]));
    await expectOk(llmo(home, ['auth', 'add', 'openai', '--password-file', personal], { input: 'sk-personal-0123456789abcdef1111\n' }));
    await expectOk(
      llmo(home, ['auth', 'add', 'mistral', '--password-file', work], {
        env: { LLMO_PROFILE: 'work' },
        input: 'mistral-work-0123456789abcdef2222\n',
      }),
    );

    await expectOk(llmo(home, ['auth', 'unlock', '--password-file', personal]));
    await expectOk(llmo(home, ['--profile', 'work', 'auth', 'unlock', '--password-file', work]));
    const personalList = await expectOk(llmo(home, ['auth', 'list']));
    const workList = await expectOk(llmo(home, ['--profile', 'work', 'auth', 'list']));
    expect(personalList.stdout).toContain('openai');
    expect(personalList.stdout).not.toContain('mistral');
    expect(workList.stdout).toContain('mistral');
    expect(workList.stdout).not.toContain('openai');

    const personalStatus = await expectOk(llmo(home, ['auth', 'status']));
    const workStatus = await expectOk(llmo(home, ['--profile', 'work', 'auth', 'status']));
    expect(personalStatus.stdout).toMatch(/^profile\s+default$/m);
    expect(workStatus.stdout).toMatch(/^profile\s+work$/m);
    expect(workStatus.stdout).toContain(path.join(home, 'profiles', 'work', 'vault.bin'));
    const pidOf = (text: string) => /agent \(pid (\d+)\)/.exec(text)?.[1];
    expect(pidOf(personalStatus.stdout)).toBeDefined();
    expect(pidOf(workStatus.stdout)).toBeDefined();
    expect(pidOf(personalStatus.stdout)).not.toBe(pidOf(workStatus.stdout));
  });
});

describe('conversations and usage per profile', () => {
  let fake: FakeProviders;
  beforeAll(async () => {
    fake = await startFakeProviders({ providers: ['openai'] });
  });
  afterAll(() => fake.close());

  it('an exchange in one profile is saved and counted there only', async () => {
    await expectOk(llmo(home, ['profile', 'create', 'work']));
    mkdirSync(path.join(home, 'conversations'), { recursive: true });
    fake.enqueue('openai', { text: 'Hello from work.' });
    const asked = await expectOk(
      // `llmo --profile NAME …` before a bare prompt still asks it.
      llmo(home, ['--profile', 'work', '-m', 'openai:gpt-4o-mini', 'hi'], {
        env: { ...fake.env(), OPENAI_API_KEY: 'sk-test-openai-0123456789abcdef' },
      }),
    );
    expect(asked.stdout).toBe('Hello from work.\n');
    expect(
      readdirSync(path.join(home, 'profiles', 'work', 'conversations')).filter((name) => name.endsWith('.json') && !name.startsWith('.')),
    ).toHaveLength(1);
    expect(readdirSync(path.join(home, 'conversations')).filter((name) => name.endsWith('.json') && !name.startsWith('.'))).toHaveLength(0);
    expect(existsSync(path.join(home, 'profiles', 'work', 'usage'))).toBe(true);
    expect(existsSync(path.join(home, 'usage'))).toBe(false);
  });
});
