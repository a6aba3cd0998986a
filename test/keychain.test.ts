/**
 * `llmo auth unlock --remember` against a real Secret Service: a private D-Bus session with
 * gnome-keyring-daemon, in a throwaway HOME (the recipe in DEVELOPERS.md; CI installs the `dbus`
 * and `gnome-keyring` packages). And without any Secret Service: one warning, unlock still works.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { llmoBin, makeHome, removeHome, repoRoot, runLlmo } from './helpers/run-llmo.js';
import { agentPid, initVault, llmo } from './helpers/vault-home.js';

const homes: string[] = [];
afterAll(async () => {
  await Promise.all(homes.map((home) => runLlmo(['auth', 'lock'], { home })));
  homes.forEach(removeHome);
});

function newHome(): string {
  const home = makeHome();
  homes.push(home);
  return home;
}

const missing = ['dbus-run-session', 'gnome-keyring-daemon'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
const skipReason = missing.length > 0 ? `needs ${missing.join(' and ')} (apt-get install dbus gnome-keyring)` : '';
if (skipReason) console.warn(`keychain test skipped: ${skipReason}`);

describe.skipIf(missing.length > 0)(`the OS keychain (Secret Service)${skipReason ? ` — skipped: ${skipReason}` : ''}`, () => {
  it('--remember stores the data key; the next unlock needs no password; lock forgets it', async () => {
    const home = newHome();
    const llmoHome = path.join(home, 'llmo');
    const key = 'sk-keychain-0123456789abcdefghij';
    const keyring = path.join(repoRoot, 'node_modules', '@napi-rs', 'keyring');
    const account = `vault:${path.join(llmoHome, 'vault.bin')}`;
    // Reads what the Secret Service holds for the vault: "32" (bytes of the data key) or "none".
    const probe = `node -e 'const {Entry}=require(${JSON.stringify(keyring)}); const s=new Entry("llmo", ${JSON.stringify(account)}, {linux:{store:"secret-service"}}).getSecret(); console.log(s ? s.length : "none")'`;
    const script = `
      set -u
      step() { name=$1; shift; "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" </dev/null; echo "$name $?" >>"$OUT/codes"; }
      printf '%s\\n' 'keychain test password' >"$OUT/pw"; chmod 600 "$OUT/pw"
      step init node "$BIN" auth init --password-file "$OUT/pw"
      printf %s '${key}' | node "$BIN" auth add openai --password-file "$OUT/pw" 2>"$OUT/add.err"; echo "add $?" >>"$OUT/codes"
      step remember node "$BIN" auth unlock --remember --ttl 1s --password-file "$OUT/pw"
      step stored sh -c '${probe.replace(/'/g, "'\\''")}'
      # The agent drops the key after its 1 s idle timeout and removes its socket: wait for that
      # (asking it, as status does, would keep it alive).
      while [ -n "$(find "$LLMO_HOME" -name agent.sock 2>/dev/null)" ]; do sleep 0.1; done
      step idle node "$BIN" auth status
      step recall node "$BIN" auth unlock
      step list node "$BIN" auth list
      step lock node "$BIN" auth lock
      step forgotten sh -c '${probe.replace(/'/g, "'\\''")}'
      step refused node "$BIN" auth unlock
    `;
    writeFileSync(path.join(home, 'steps.sh'), script);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      LLMO_HOME: llmoHome,
      LLMO_VAULT_TEST_SCRYPT_LOG2N: '8',
      OUT: home,
      BIN: llmoBin,
      NO_COLOR: '1',
    };
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(
        'dbus-run-session',
        [
          '--',
          'sh',
          '-c',
          `printf %s pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec sh "${path.join(home, 'steps.sh')}"`,
        ],
        { env, stdio: ['ignore', 'ignore', 'ignore'] },
      );
      const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
      child.on('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(code).toBe(0);
    const read = (name: string) => readFileSync(path.join(home, name), 'utf8');
    const codes = Object.fromEntries(
      read('codes')
        .trim()
        .split('\n')
        .map((line) => line.split(' ')),
    );
    const context = `${read('codes')}\n${read('init.err')}\n${read('remember.err')}\n${read('recall.err')}`;
    expect(codes, context).toEqual({
      init: '0',
      add: '0',
      remember: '0',
      stored: '0',
      idle: '0',
      recall: '0',
      list: '0',
      lock: '0',
      forgotten: '0',
      refused: '4',
    });
    expect(read('remember.err')).toContain('the key is remembered in the OS keychain');
    expect(read('stored.out').trim()).toBe('32');
    expect(read('idle.out')).toMatch(/^state\s+locked$/m);
    expect(read('recall.err')).toContain('opened with the key remembered in the OS keychain');
    expect(read('list.out')).toContain('openai    sk-…ghij');
    expect(read('lock.err')).toContain('removed the key remembered in the OS keychain');
    expect(read('forgotten.out').trim()).toBe('none');
    expect(read('refused.err')).toContain('--password-file');
  });
});

describe('without a Secret Service', () => {
  it('--remember warns once and the vault is unlocked anyway', async () => {
    const home = newHome();
    const passwordFile = await initVault(home);
    const result = await llmo(home, ['auth', 'unlock', '--remember', '--password-file', passwordFile], {
      env: { HOME: home, DBUS_SESSION_BUS_ADDRESS: undefined, DISPLAY: undefined },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.match(/warning/g)).toHaveLength(1);
    expect(result.stderr).toMatch(/warning: no OS keychain is reachable, so --remember does nothing \(.+\); the vault is unlocked anyway/);
    expect(await agentPid(home)).toBeGreaterThan(0);
    const status = await llmo(home, ['auth', 'status']);
    expect(status.stdout).toMatch(/^state\s+unlocked by the agent/m);
  });
});
