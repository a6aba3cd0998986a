/**
 * `llmo auth` end to end: the built CLI, a real vault file, the real agent process, and the fake
 * providers standing in for the vendors. Vaults here use the low test-only scrypt cost; the
 * "real cost" block at the end measures the calibrated one.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from './fake-providers/server.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { cleanEnv, llmoBin, makeHome, removeHome, runLlmo, spawnLlmo } from './helpers/run-llmo.js';
import { waitUntil } from './helpers/wait-until.js';
import {
  TEST_COST,
  addKey,
  agentPid,
  expectOk,
  filesContaining,
  initVault,
  isAlive,
  llmo,
  processesShowing,
  writePasswordFile,
} from './helpers/vault-home.js';

const OPENAI_KEY = 'sk-vault-openai-4f1c9d2e7a3b5c6d8e0f1a2b3c4d';
const ANTHROPIC_KEY = 'sk-ant-vault-9e8d7c6b5a4f3e2d1c0b9a8f7e6d';
const PASSWORD = 'correct horse battery staple';

let fake: FakeProviders;
const homes: string[] = [];

beforeAll(async () => {
  fake = await startFakeProviders({ providers: ['openai', 'anthropic'] });
});

afterAll(async () => {
  // Lock every home so no agent outlives the suite, then remove them.
  await Promise.all(homes.map((home) => runLlmo(['auth', 'lock'], { home })));
  homes.forEach(removeHome);
  await fake.close();
});

afterEach(() => fake.reset());

function newHome(): string {
  const home = makeHome();
  homes.push(home);
  return home;
}

function ask(home: string, env: Record<string, string | undefined> = {}, prompt = 'hello') {
  return llmo(home, ['ask', '--no-save', '-m', 'openai:gpt-4o-mini', prompt], { env: { ...fake.env(), ...env } });
}

/** A loopback URL nobody listens on. */
async function closedPortURL(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

function lastAuthorization(): string | undefined {
  const request = fake.requestsFor('openai').at(-1);
  return request?.headers.authorization as string | undefined;
}

describe('round trip: init → add (stdin) → ask', () => {
  let home: string;
  let passwordFile: string;

  beforeAll(async () => {
    home = newHome();
    passwordFile = await initVault(home, PASSWORD);
    // The key arrives on stdin; the password comes from LLMO_PASSWORD_FILE this time.
    await expectOk(llmo(home, ['auth', 'add', 'openai'], { input: `${OPENAI_KEY}\n`, env: { LLMO_PASSWORD_FILE: passwordFile } }));
  });

  it('ask uses the vault’s key with OPENAI_API_KEY unset', async () => {
    const result = await expectOk(ask(home, { LLMO_PASSWORD_FILE: passwordFile, OPENAI_API_KEY: undefined }));
    expect(result.stdout).toContain('Hello from fake openai');
    expect(lastAuthorization()).toBe(`Bearer ${OPENAI_KEY}`);
  });

  it('the vault wins over the environment variable', async () => {
    await expectOk(ask(home, { LLMO_PASSWORD_FILE: passwordFile, OPENAI_API_KEY: 'sk-from-the-environment' }));
    expect(lastAuthorization()).toBe(`Bearer ${OPENAI_KEY}`);
  });

  it('no file under the home holds the key or the password in plain text', () => {
    const vaultBytes = readFileSync(path.join(home, 'vault.bin'));
    expect(vaultBytes.includes(Buffer.from(OPENAI_KEY))).toBe(false);
    expect(vaultBytes.includes(Buffer.from(PASSWORD))).toBe(false);
    // The password file itself is the one place the password is, by the user's choice.
    expect(filesContaining(home, [OPENAI_KEY, PASSWORD])).toEqual([passwordFile]);
  });

  it('list shows provider, masked key, date and the env override — nothing else', async () => {
    const plain = await expectOk(llmo(home, ['auth', 'list', '--password-file', passwordFile]));
    const today = new Date().toISOString().slice(0, 10);
    expect(plain.stdout).toBe(`provider  key       added       environment\nopenai    sk-…3c4d  ${today}  -\n`);
    const withEnv = await expectOk(llmo(home, ['auth', 'list', '--password-file', passwordFile], { env: { OPENAI_API_KEY: 'sk-x' } }));
    expect(withEnv.stdout).toContain('OPENAI_API_KEY set, used only while the vault is locked');
    expect(withEnv.stdout + withEnv.stderr).not.toContain(OPENAI_KEY);
  });

  it('status shows the path, locked, and where each key would come from', async () => {
    const status = await expectOk(llmo(home, ['auth', 'status'], { env: { ANTHROPIC_API_KEY: 'sk-ant-x' } }));
    expect(status.stdout).toContain(`vault      ${path.join(home, 'vault.bin')}`);
    expect(status.stdout).toMatch(/^state\s+locked$/m);
    expect(status.stdout).toMatch(/^anthropic\s+env ANTHROPIC_API_KEY \(the vault is locked: it may hold one\)$/m);
    expect(status.stdout).toMatch(/^openai\s+none \(the vault is locked: it may hold one\)$/m);
  });

  it('init refuses to replace an existing vault', async () => {
    const result = await llmo(home, ['auth', 'init', '--password-file', passwordFile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('a vault already exists');
  });
});

describe('a vault password shorter than 8 characters', () => {
  it('is refused at init and passwd unless --allow-weak', async () => {
    const home = newHome();
    const short = writePasswordFile(home, 'hunter2', 'short.txt');
    const refused = await llmo(home, ['auth', 'init', '--password-file', short]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('the vault password must be at least 8 characters long');
    expect(existsSync(path.join(home, 'vault.bin'))).toBe(false);

    await expectOk(llmo(home, ['auth', 'init', '--password-file', short, '--allow-weak']));
    const long = writePasswordFile(home, PASSWORD, 'long.txt');
    const passwd = await llmo(home, ['auth', 'passwd', '--password-file', short, '--new-password-file', short]);
    expect(passwd.code).toBe(2);
    expect(passwd.stderr).toContain('at least 8 characters');
    await expectOk(llmo(home, ['auth', 'passwd', '--password-file', short, '--new-password-file', long]));
    await expectOk(llmo(home, ['auth', 'passwd', '--password-file', long, '--new-password-file', short, '--allow-weak']));
  });
});

describe('unlock once: the agent', () => {
  let home: string;
  let passwordFile: string;

  beforeAll(async () => {
    home = newHome();
    passwordFile = await initVault(home, PASSWORD);
    await addKey(home, 'openai', OPENAI_KEY, passwordFile);
    await expectOk(llmo(home, ['auth', 'unlock', '--password-file', passwordFile]));
  });

  it('asks in a row need no password (no terminal, no password file) and use the vault key', async () => {
    for (let i = 0; i < 3; i += 1) {
      const result = await ask(home);
      expect(result.code, result.stderr).toBe(0);
    }
    expect(fake.requestsFor('openai').map((request) => request.headers.authorization)).toEqual(Array(3).fill(`Bearer ${OPENAI_KEY}`));
  });

  it('status says unlocked, by which agent, for how long, and that openai comes from the vault', async () => {
    const status = await expectOk(llmo(home, ['auth', 'status']));
    expect(status.stdout).toMatch(/^state\s+unlocked by the agent \(pid \d+\), 1[45]m( \d\ds)? left$/m);
    expect(status.stdout).toMatch(/^openai\s+vault$/m);
  });

  it('a second unlock reuses the running agent without asking for the password', async () => {
    const before = await agentPid(home);
    const again = await expectOk(llmo(home, ['auth', 'unlock']));
    expect(again.stderr).toContain(`already unlocked: the agent (pid ${before})`);
    expect(await agentPid(home)).toBe(before);
  });

  it('no process shows the key or the password on its command line; the agent has no LLMO_* and no core dumps', async () => {
    // While an ask waits for its reply and an add waits for its key, look at every process.
    fake.enqueue('openai', { firstChunkDelayMs: 1500 });
    const slow = spawnLlmo(['ask', '--no-save', '-m', 'openai', 'slow'], { home, env: fake.env() });
    const slowDone = new Promise((resolve) => slow.on('close', resolve));
    slow.stdin!.end();
    const adding = spawnLlmo(['auth', 'add', 'anthropic'], { home });
    const addingDone = new Promise((resolve) => adding.on('close', resolve));
    // The ask's request has reached the provider: both processes are now mid-way.
    await waitUntil(
      () => fake.requestsFor('openai').some((request) => JSON.stringify(request.body).includes('slow')),
      'the slow ask to reach the provider',
    );
    expect(processesShowing([OPENAI_KEY, ANTHROPIC_KEY, PASSWORD])).toEqual([]);
    adding.stdin!.end(`${ANTHROPIC_KEY}\n`);
    await Promise.all([addingDone, slowDone]);
    expect(processesShowing([OPENAI_KEY, ANTHROPIC_KEY, PASSWORD])).toEqual([]);

    const pid = (await agentPid(home))!;
    if (process.platform === 'linux') {
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()).toBe('llmo-agent');
      expect(readFileSync(`/proc/${pid}/environ`, 'utf8')).not.toMatch(/(^|\0)LLMO_/);
      expect(readFileSync(`/proc/${pid}/limits`, 'utf8')).toMatch(/^Max core file size\s+0\s+0\s/m);
    }
  });

  it('a flipped byte is reported as damage even to the agent holding the key', async () => {
    const file = path.join(home, 'vault.bin');
    const original = readFileSync(file);
    const flipped = Buffer.from(original);
    flipped[flipped.length - 20]! ^= 0x40;
    writeFileSync(file, flipped);
    try {
      const result = await ask(home);
      expect(result.code).toBe(4);
      expect(result.stderr).toContain('vault is damaged or was tampered with');
    } finally {
      writeFileSync(file, original);
    }
  });

  it('after lock: the agent is gone, a non-terminal ask exits 4 naming `llmo auth unlock`, the env variable still works', async () => {
    const pid = (await agentPid(home))!;
    const locked = await expectOk(llmo(home, ['auth', 'lock']));
    expect(locked.stderr).toContain(`stopped the agent (pid ${pid})`);
    await waitUntil(() => !isAlive(pid), `the agent (pid ${pid}) to exit`);
    const refused = await ask(home);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('no API key for openai: the vault is locked and OPENAI_API_KEY is not set');
    expect(refused.stderr).toContain('llmo auth unlock');
    expect(refused.stdout).toBe('');
    await expectOk(ask(home, { OPENAI_API_KEY: 'sk-from-the-environment' }));
    expect(lastAuthorization()).toBe('Bearer sk-from-the-environment');
  });

  it('an idle agent goes away by itself after --ttl', async () => {
    await expectOk(llmo(home, ['auth', 'unlock', '--ttl', '1s', '--password-file', passwordFile]));
    const pid = (await agentPid(home))!;
    await waitUntil(() => !isAlive(pid), `the idle agent (pid ${pid}) to exit after its 1 s ttl`);
    expect((await expectOk(llmo(home, ['auth', 'status']))).stdout).toMatch(/^state\s+locked$/m);
  });
});

describe('unlocks racing each other', () => {
  // Heavy: three rounds of eight processes racing. Its own generous timeout for a busy 2-core machine.
  it('eight at once, beside a dead agent’s socket: all succeed and share one agent', { timeout: 180_000 }, async () => {
    const home = newHome();
    const passwordFile = await initVault(home, PASSWORD);
    // Three rounds: the first starts from nothing, the next two beside a SIGKILLed agent's socket.
    for (let round = 0; round < 3; round += 1) {
      // A killed agent leaves its socket file behind: every racer sees it, probes it, replaces it.
      const previous = await agentPid(home);
      if (previous) process.kill(previous, 'SIGKILL');
      const results = await Promise.all(Array.from({ length: 8 }, () => llmo(home, ['auth', 'unlock', '--password-file', passwordFile])));
      for (const result of results) expect(result.code, `round ${round}: ${result.stderr}`).toBe(0);
      const pids = new Set(results.map((result) => /\(pid (\d+)\)/.exec(result.stderr)?.[1]));
      expect([...pids], `round ${round}`).toHaveLength(1);
      expect(String(await agentPid(home))).toBe([...pids][0]);
    }
  });
});

describe('unlock --export: LLMO_SESSION where no agent may run', () => {
  it('prints an export line; the session opens the vault without an agent; lock ends it', async () => {
    const home = newHome();
    const passwordFile = await initVault(home);
    await addKey(home, 'openai', OPENAI_KEY, passwordFile);
    const exported = await expectOk(llmo(home, ['auth', 'unlock', '--export', '--ttl', '5m', '--password-file', passwordFile]));
    const match = /^export LLMO_SESSION=(v1\.[0-9a-f]{32}\.[A-Za-z0-9_-]{43})\n$/.exec(exported.stdout);
    expect(match).not.toBeNull();
    const session = { LLMO_SESSION: match![1]! };
    expect(await agentPid(home)).toBeUndefined();
    expect(filesContaining(home, [OPENAI_KEY, match![1]!.split('.')[2]!])).toEqual([]);

    await expectOk(ask(home, session));
    expect(lastAuthorization()).toBe(`Bearer ${OPENAI_KEY}`);
    expect((await expectOk(llmo(home, ['auth', 'status'], { env: session }))).stdout).toMatch(
      /^state\s+unlocked by LLMO_SESSION, [45]m( \d\ds)? left$/m,
    );

    await expectOk(llmo(home, ['auth', 'lock']));
    const refused = await ask(home, session);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('llmo auth unlock');
  });
});

describe('wrong password, damage, passwd', () => {
  let home: string;
  let passwordFile: string;
  let wrongFile: string;
  let vaultFile: string;

  beforeAll(async () => {
    home = newHome();
    passwordFile = await initVault(home, PASSWORD);
    await addKey(home, 'openai', OPENAI_KEY, passwordFile);
    wrongFile = writePasswordFile(home, 'not the password', 'wrong.txt');
    vaultFile = path.join(home, 'vault.bin');
  });

  it('a wrong password exits 4 and changes nothing on disk, byte for byte', async () => {
    const before = readFileSync(vaultFile);
    for (const args of [
      ['auth', 'list', '--password-file', wrongFile],
      ['auth', 'unlock', '--password-file', wrongFile],
      ['auth', 'add', 'anthropic', '--password-file', wrongFile],
      ['auth', 'remove', 'openai', '--password-file', wrongFile],
      ['auth', 'passwd', '--password-file', wrongFile, '--new-password-file', wrongFile],
    ]) {
      const result = await llmo(home, args, { input: `${ANTHROPIC_KEY}\n` });
      expect(result.code, args.join(' ')).toBe(4);
      expect(result.stderr).toMatch(/^llmo: wrong password/);
      expect(result.stderr).toContain('nothing was changed');
      expect(readFileSync(vaultFile)).toEqual(before);
    }
    expect(await agentPid(home)).toBeUndefined();
  });

  it('one flipped byte anywhere → "vault is damaged or was tampered with", exit 4, no key shown', async () => {
    const original = readFileSync(vaultFile);
    // One position in every field (the unit test flips every single byte).
    const positions = [0, 8, 9, 13, 30, 60, 90, 105, original.length - 1];
    try {
      for (const position of positions) {
        const flipped = Buffer.from(original);
        flipped[position]! ^= 0x10;
        writeFileSync(vaultFile, flipped);
        const result = await llmo(home, ['auth', 'list', '--password-file', passwordFile]);
        expect(result.code, `byte ${position}`).toBe(4);
        expect(result.stderr, `byte ${position}`).toContain('vault is damaged or was tampered with');
        expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
        expect(result.stdout).toBe('');
      }
      writeFileSync(vaultFile, original.subarray(0, 100));
      const truncated = await llmo(home, ['auth', 'list', '--password-file', passwordFile]);
      expect(truncated.stderr).toContain('vault is damaged or was tampered with: the file is truncated');
    } finally {
      writeFileSync(vaultFile, original);
    }
  });

  it('passwd: every key stays readable with the new password, none with the old', async () => {
    const newFile = writePasswordFile(home, 'a whole new password', 'new.txt');
    const changed = await expectOk(llmo(home, ['auth', 'passwd', '--password-file', passwordFile, '--new-password-file', newFile]));
    expect(changed.stderr).toContain('the vault password is changed');
    const withNew = await expectOk(llmo(home, ['auth', 'list', '--password-file', newFile]));
    expect(withNew.stdout).toContain('openai    sk-…3c4d');
    await expectOk(ask(home, { LLMO_PASSWORD_FILE: newFile }));
    expect(lastAuthorization()).toBe(`Bearer ${OPENAI_KEY}`);
    const withOld = await llmo(home, ['auth', 'list', '--password-file', passwordFile]);
    expect(withOld.code).toBe(4);
    expect(withOld.stderr).toContain('wrong password');
    passwordFile = newFile;
  });
});

describe('add --check, test, remove', () => {
  let home: string;
  let passwordFile: string;

  beforeAll(async () => {
    home = newHome();
    passwordFile = await initVault(home);
  });

  const run = (args: string[], options: { input?: string; env?: Record<string, string | undefined> } = {}) =>
    llmo(home, args, { ...options, env: { ...fake.env(), LLMO_PASSWORD_FILE: passwordFile, ...options.env } });

  it('add --check stores a key the provider accepts', async () => {
    const result = await expectOk(run(['auth', 'add', 'openai', '--check'], { input: OPENAI_KEY }));
    expect(result.stderr).toContain('openai accepted the key');
    const check = fake.requestsFor('openai').at(-1)!;
    expect([check.method, check.path, check.headers.authorization]).toEqual(['GET', '/v1/models', `Bearer ${OPENAI_KEY}`]);
  });

  it('add --check refuses a key the provider rejects, and stores nothing', async () => {
    fake.enqueue('anthropic', { error: { status: 401 } });
    const result = await run(['auth', 'add', 'anthropic', '--check'], { input: ANTHROPIC_KEY });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('anthropic rejected the key (HTTP 401); nothing was stored');
    // The key went out (in whichever header the vendor reads it from).
    const sent = Object.values(fake.requestsFor('anthropic').at(-1)?.headers ?? {}).map(String);
    expect(sent.some((value) => value.includes(ANTHROPIC_KEY))).toBe(true);
    expect((await expectOk(run(['auth', 'list']))).stdout).not.toContain('anthropic');
  });

  it('test reports ok / rejected / unreachable per provider, with exit 0 / 4 / 5', async () => {
    const ok = await expectOk(run(['auth', 'test', 'openai']));
    expect(ok.stdout).toMatch(/^openai\s+ok\s+vault\s+\d+ models?$/m);

    fake.enqueue('openai', { error: { status: 401 } });
    const rejected = await run(['auth', 'test']);
    expect(rejected.code).toBe(4);
    expect(rejected.stdout).toMatch(/^openai\s+rejected\s+vault\s+HTTP 401$/m);
    expect(rejected.stdout).toMatch(/^gemini\s+no key/m);
    expect(rejected.stdout).toMatch(/^ollama\s+no key needed/m);

    const allGood = await expectOk(run(['auth', 'test']));
    expect(allGood.stdout).toMatch(/^openai\s+ok\s+vault/m);

    const unreachable = await run(['auth', 'test', 'anthropic'], {
      env: { ANTHROPIC_API_KEY: 'sk-ant-env', ANTHROPIC_BASE_URL: await closedPortURL() },
    });
    expect(unreachable.code).toBe(5);
    expect(unreachable.stdout).toMatch(/^anthropic\s+unreachable\s+env ANTHROPIC_API_KEY\s+could not connect: .*ECONNREFUSED/m);
    expect(unreachable.stdout + unreachable.stderr).not.toContain('sk-ant-env');
  });

  it('remove deletes the key; removing it again is an error', async () => {
    const typo = await run(['auth', 'remove', 'opnai']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('the vault holds no key for opnai; did you mean openai?');
    await expectOk(run(['auth', 'remove', 'openai']));
    expect((await expectOk(run(['auth', 'list']))).stderr).toContain('the vault holds no keys yet');
    const again = await run(['auth', 'remove', 'openai']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('the vault holds no key for openai');
  });
});

describe('clear refusals', () => {
  it('no vault yet, no terminal and no password file, unknown provider, any secret name, bad --ttl', async () => {
    const home = newHome();
    const none = await llmo(home, ['auth', 'add', 'openai'], { input: 'sk-x' });
    expect(none.code).toBe(4);
    expect(none.stderr).toContain('llmo auth init');

    const passwordFile = await initVault(home);
    const noPassword = await llmo(home, ['auth', 'unlock']);
    expect(noPassword.code).toBe(4);
    expect(noPassword.stderr).toContain('--password-file');
    const locked = await llmo(home, ['auth', 'add', 'openai'], { input: 'sk-x' });
    expect(locked.code).toBe(4);
    expect(locked.stderr).toContain('the vault is locked');
    expect(locked.stderr).toContain('llmo auth unlock');

    // Not a provider, and no typo of one: a secret an MCP server can refer to as vault:github.
    const secret = await llmo(home, ['auth', 'add', 'github', '--password-file', passwordFile], { input: 'ghp-x' });
    expect(secret.code).toBe(0);
    expect(secret.stderr).toContain('stored the secret "github" (vault:github) in the vault');
    const unchecked = await llmo(home, ['auth', 'add', 'github', '--check', '--password-file', passwordFile], { input: 'ghp-x' });
    expect(unchecked.code).toBe(3);
    expect(unchecked.stderr).toContain('unknown provider "github"');
    const typo = await llmo(home, ['auth', 'add', 'opena', '--password-file', passwordFile], { input: 'sk-x' });
    expect(typo.code).toBe(3);
    expect(typo.stderr).toContain('unknown provider "opena"; did you mean openai?');
    const badTtl = await llmo(home, ['auth', 'unlock', '--ttl', '15', '--password-file', passwordFile]);
    expect(badTtl.code).toBe(2);
    expect(badTtl.stderr).toContain('--ttl must be a duration like 90s, 15m, 2h');
  });

  it('init and passwd without a terminal name the flag that gives the new password', async () => {
    const home = newHome();
    const init = await llmo(home, ['auth', 'init']);
    expect(init.code).toBe(4);
    expect(init.stderr).toContain('no new vault password: stdin is not a terminal');
    expect(init.stderr).toContain('pass --password-file FILE or LLMO_PASSWORD_FILE=FILE');
    const passwordFile = await initVault(home);
    const passwd = await llmo(home, ['auth', 'passwd', '--password-file', passwordFile]);
    expect(passwd.code).toBe(4);
    expect(passwd.stderr).toContain('pass --new-password-file FILE');
  });

  it('a key or password typed on the command line is refused without being repeated, and nothing is stored', async () => {
    const home = newHome();
    const passwordFile = await initVault(home);
    const before = readFileSync(path.join(home, 'vault.bin'));
    const key = await llmo(home, ['auth', 'add', 'openai', 'sk-on-the-command-line-SECRET', '--password-file', passwordFile], {
      input: '',
    });
    expect(key.code).toBe(2);
    expect(key.stderr).toContain('an API key must never be given on the command line; nothing was done');
    expect(key.stderr).toContain('revoke it');
    expect(key.stderr).toContain('llmo auth add openai < key.txt');
    expect(key.stderr).not.toContain('SECRET');
    const password = await llmo(home, ['auth', 'unlock', 'hunter2-SECRET']);
    expect(password.code).toBe(2);
    expect(password.stderr).toContain('a password must never be given on the command line');
    expect(password.stderr).not.toContain('SECRET');
    expect(readFileSync(path.join(home, 'vault.bin'))).toEqual(before);
  });

  it('a runtime directory others can enter is not trusted, but does not block the environment variable', async () => {
    const home = newHome();
    const passwordFile = await initVault(home);
    await addKey(home, 'openai', OPENAI_KEY, passwordFile);
    const { chmodSync, mkdirSync } = await import('node:fs');
    mkdirSync(path.join(home, 'run'), { recursive: true });
    chmodSync(path.join(home, 'run'), 0o755);
    const asked = await ask(home, { OPENAI_API_KEY: 'sk-from-the-environment' });
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stderr).toMatch(/warning: not asking the llmo agent: .*run is open to other users \(mode 755\)/);
    expect(lastAuthorization()).toBe('Bearer sk-from-the-environment');
    const status = await expectOk(llmo(home, ['auth', 'status']));
    expect(status.stdout).toMatch(/^state\s+locked \(the agent is not asked: .*open to other users/m);
  });

  it('a stale lock (dead pid) and orphaned temp files are recovered', async () => {
    const home = newHome();
    const passwordFile = await initVault(home);
    const deadPid = 2 ** 22 + 4242;
    writeFileSync(
      path.join(home, 'vault.bin.lock'),
      JSON.stringify({ pid: deadPid, host: (await import('node:os')).hostname(), time: Date.now() }),
    );
    writeFileSync(path.join(home, `.vault.bin.${deadPid}.0badc0de.tmp`), 'half a vault');
    await addKey(home, 'openai', OPENAI_KEY, passwordFile);
    const { readdirSync } = await import('node:fs');
    expect(
      readdirSync(home)
        .filter((name) => name.includes('vault'))
        .sort(),
    ).toEqual(['vault.bin', 'vault.bin.providers']);
  });
});

const hasScript = spawnSync('sh', ['-c', 'command -v script']).status === 0;

/**
 * Runs llmo on a real pseudo-terminal (util-linux `script`), answering each prompt as it
 * appears. Returns everything the terminal showed, so a test can check nothing was echoed.
 */
function onTerminal(home: string, args: string[], answers: [prompt: string, answer: string][], env: Record<string, string> = {}) {
  const command = ['node', llmoBin, ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: cleanEnv(home, { ...TEST_COST, ...env }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let shown = '';
  const pending = [...answers];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    shown += chunk;
    const next = pending[0];
    if (next && shown.endsWith(next[0])) {
      pending.shift();
      child.stdin.write(`${next[1]}\r`);
    }
  });
  return new Promise<{ code: number | null; shown: string }>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, shown });
    });
  });
}

describe.skipIf(!hasScript)(`on a terminal${hasScript ? '' : ' — skipped: needs `script` (util-linux)'}`, () => {
  it('init asks twice without echo; add and a locked ask prompt without echo, once', async () => {
    const home = newHome();
    const mismatch = await onTerminal(
      home,
      ['auth', 'init'],
      [
        ['new vault password: ', 'one'],
        ['again: ', 'two'],
      ],
    );
    expect(mismatch.code).toBe(2);
    expect(mismatch.shown).toContain('the two passwords differ; nothing was changed');

    const init = await onTerminal(
      home,
      ['auth', 'init'],
      [
        ['new vault password: ', PASSWORD],
        ['again: ', PASSWORD],
      ],
    );
    expect(init.code, init.shown).toBe(0);
    expect(init.shown).not.toContain(PASSWORD);

    const add = await onTerminal(
      home,
      ['auth', 'add', 'openai'],
      [
        ['vault password: ', PASSWORD],
        ['API key for openai: ', OPENAI_KEY],
      ],
    );
    expect(add.code, add.shown).toBe(0);
    expect(add.shown).not.toContain(PASSWORD);
    expect(add.shown).not.toContain(OPENAI_KEY);

    const asked = await onTerminal(home, ['ask', '--no-save', '-m', 'openai', 'hello'], [['vault password: ', PASSWORD]], fake.env());
    expect(asked.code, asked.shown).toBe(0);
    expect(asked.shown.match(/vault password: /g)).toHaveLength(1);
    expect(asked.shown).toContain('Hello from fake openai');
    expect(asked.shown).not.toContain(PASSWORD);
    expect(lastAuthorization()).toBe(`Bearer ${OPENAI_KEY}`);

    // One good answer keeps the vault unlocked: the next command does not ask (issue 10, defect 5).
    const again = await onTerminal(home, ['ask', '--no-save', '-m', 'openai', 'hello'], [], fake.env());
    expect(again.code, again.shown).toBe(0);
    expect(again.shown).not.toContain('vault password');
    await expectOk(llmo(home, ['auth', 'lock']));

    const wrong = await onTerminal(home, ['ask', '--no-save', '-m', 'openai', 'hello'], [['vault password: ', 'nope']], fake.env());
    expect(wrong.code).toBe(4);
    expect(wrong.shown).toContain('wrong password');
  });
});
