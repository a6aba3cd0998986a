/**
 * A long-running llmo (a chat) opens the vault once, and again only when the file changed: a key
 * stored with `llmo auth add` from another terminal is found by the next lookup, without a
 * restart. The lookup runs in this process, as the chat's resolver does; the vault is changed by
 * the built CLI, as a second terminal would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { resolveApiKey } from '../src/cli/keys/keys.js';
import { makeHome, removeHome } from './helpers/run-llmo.js';
import { addKey, initVault, TEST_COST } from './helpers/vault-home.js';

let home: string;
beforeAll(() => {
  home = makeHome();
});
afterAll(() => removeHome(home));

describe('the vault seen by a running process', () => {
  it('finds a key added by `llmo auth add` after the vault was first opened', async () => {
    const passwordFile = await initVault(home);
    await addKey(home, 'anthropic', 'sk-ant-first-key-0123456789abcdef', passwordFile);
    const config = loadConfig({ env: { LLMO_HOME: home, LLMO_PASSWORD_FILE: passwordFile, ...TEST_COST } });
    const openai = config.catalog.providers.get('openai')!;
    const lookup = () => resolveApiKey(openai, config, { interactive: false });

    expect(await lookup()).toMatchObject({ source: 'none', vault: 'open' });
    await addKey(home, 'openai', 'sk-openai-added-later-0123456789', passwordFile);
    expect(await lookup()).toMatchObject({ source: 'vault', key: 'sk-openai-added-later-0123456789' });
  });
});
