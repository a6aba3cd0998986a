/** `llmo auth test [P]`: tries each key (or P's) with the provider's cheapest call, list models. */
import type { ProviderInfo } from '../../config/catalog.js';
import { AuthError } from '../../errors.js';
import { ProviderUnavailableError } from '../../providers/spec.js';
import { canPrompt } from '../keys/prompt-secret.js';
import { lookupApiKey, resolveApiKey, type KeyLookup } from '../keys/keys.js';
import { formatTable } from './list.js';
import { probeProvider, type ProbeResult } from './probe-provider.js';
import { providerNamed, vaultContext } from './vault-context.js';

export interface TestOptions {
  passwordFile?: string;
}

export async function authTest(providerName: string | undefined, options: TestOptions = {}): Promise<void> {
  const { config } = await vaultContext();
  const lookup = { interactive: canPrompt(), ...(options.passwordFile ? { passwordFile: options.passwordFile } : {}) };
  const providers: ProviderInfo[] = providerName ? [providerNamed(config, providerName)] : [...config.catalog.providers.values()];
  // One vault opening (and at most one prompt) for all of them, before the probes run at once.
  const found = new Map<string, KeyLookup>();
  for (const provider of providers) {
    found.set(provider.name, providerName ? await lookupApiKey(provider, config, lookup) : await resolveApiKey(provider, config, lookup));
  }
  const results = await Promise.all(
    providers.map(async (provider): Promise<{ provider: ProviderInfo; key: KeyLookup; result?: ProbeResult }> => {
      const key = found.get(provider.name)!;
      // Without a key there is nothing to test; a keyless endpoint (a local Ollama) only when named.
      if (key.source === 'none' || (key.source === 'not-needed' && !providerName)) return { provider, key };
      return { provider, key, result: await probeProvider(provider, key.key, config.env) };
    }),
  );
  const rows = [['provider', 'result', 'key from', 'detail']];
  for (const { provider, key, result } of results) {
    const from = key.source === 'env' ? `env ${key.variable}` : key.source;
    const skipped = key.source === 'not-needed' ? 'no key needed' : 'no key';
    rows.push([provider.name, result?.outcome ?? skipped, key.source === 'not-needed' ? '-' : from, result?.detail ?? '']);
  }
  process.stdout.write(formatTable(rows));
  const rejected = results.filter((entry) => entry.result?.outcome === 'rejected').map((entry) => entry.provider.name);
  const unreachable = results.filter((entry) => entry.result?.outcome === 'unreachable').map((entry) => entry.provider.name);
  if (rejected.length > 0) {
    throw new AuthError(`${rejected.join(', ')}: key rejected`, { hint: 'replace a key with: llmo auth add PROVIDER' });
  }
  if (unreachable.length > 0) {
    const names = unreachable.join(', ');
    throw new ProviderUnavailableError(`${names}: unreachable (see the table above)`, { provider: names });
  }
}
