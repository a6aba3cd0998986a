/**
 * On a terminal, a locked vault asks for its password only when it holds the key the command
 * needs, says why, and after one good answer keeps the vault unlocked (an agent) so the next
 * command pays no KDF again. Runs the built llmo in a pseudo-terminal (`script`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from './fake-providers/server.mjs';
import { cleanEnv, llmoBin, makeHome, removeHome } from './helpers/run-llmo.js';
import { TEST_COST, addKey, initVault, llmo } from './helpers/vault-home.js';

const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;
const PASSWORD = 'correct horse battery staple';
let fake: FakeProviders;
const homes: string[] = [];

beforeAll(async () => {
  fake = await startFakeProviders({ providers: ['openai', 'anthropic'] });
});
afterAll(async () => {
  await Promise.all(homes.map((home) => llmo(home, ['auth', 'lock'])));
  homes.forEach(removeHome);
  await fake.close();
});

/** `llmo ARGS` on a pseudo-terminal, `typed` sent as keystrokes; resolves with its exit code and screen. */
function onTerminal(
  home: string,
  args: string[],
  env: Record<string, string>,
  typed = '',
): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, llmoBin, ...args].map((word) => `'${word}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { env: cleanEnv(home, { ...TEST_COST, ...env }) });
  let screen = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    screen += chunk;
    if (typed && screen.includes('vault password: ')) {
      child.stdin.write(`${typed}\r`);
      typed = '';
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    }),
  );
}

describe.runIf(hasScript)('a locked vault on a terminal', () => {
  it('does not ask when it does not hold the needed key and the environment has it', async () => {
    const home = makeHome();
    homes.push(home);
    const passwordFile = await initVault(home, PASSWORD);
    await addKey(home, 'anthropic', 'sk-ant-vault-0123456789abcdef', passwordFile);
    const result = await onTerminal(home, ['ask', '--no-save', '-m', 'openai:gpt-4o-mini', 'hi'], {
      ...fake.env(),
      OPENAI_API_KEY: 'sk-env-0123456789abcdef',
    });
    expect(result.screen).not.toContain('vault password');
    expect(result.code, result.screen).toBe(0);
  });

  it('asks when it holds the key, says why, and stays unlocked for the next command', async () => {
    const home = makeHome();
    homes.push(home);
    const passwordFile = await initVault(home, PASSWORD);
    await addKey(home, 'openai', 'sk-vault-0123456789abcdef', passwordFile);
    const result = await onTerminal(home, ['ask', '--no-save', '-m', 'openai:gpt-4o-mini', 'hi'], fake.env(), PASSWORD);
    expect(result.screen).toContain('the vault holds the openai key; vault password: ');
    expect(result.code, result.screen).toBe(0);
    const status = await llmo(home, ['auth', 'status']);
    expect(status.stdout).toMatch(/^state\s+unlocked by the agent/m);
  });
});
