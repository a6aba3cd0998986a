/** `llmo models`: what can be called, what it costs, and whether a key is there (never the key). */
import { CAPABILITIES, capabilitiesOf, type ProviderInfo } from '../../config/catalog.js';
import type { LlmoConfig } from '../../config/load.js';
import { ConfigError } from '../../errors.js';
import { closeMatches } from '../../config/closest-match.js';
import { baseURLFor } from '../../providers/registry.js';
import { getConfig } from '../context.js';
import { lookupApiKey, resolveApiKey } from '../keys/keys.js';
import { fetchRemoteModels } from '../remote-models.js';
import { paint, useColor } from '../output.js';

/**
 * Where a provider's key would come from, as `llmo auth status` finds it: the vault when it is
 * unlocked (agent or LLMO_SESSION) and holds one, else the environment. Asks for nothing and
 * spends no KDF, so a locked vault that may hold the key shows as `locked`, not as `none`.
 */
async function keySource(provider: ProviderInfo, config: LlmoConfig): Promise<string> {
  const found = await resolveApiKey(provider, config, { interactive: false, usePasswordFile: false });
  return found.source === 'none' && found.vault === 'locked' ? 'locked' : found.source;
}

/**
 * A base URL as it may be shown: a proxy's URL can carry credentials in its user-info
 * (https://user:token@host) or its query (?api-key=…), and `llmo models` never shows a secret.
 */
export function displayBaseURL(baseURL: string | undefined): string | null {
  if (!baseURL) return null;
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return '[unreadable URL]';
  }
  if (url.username) url.username = 'REDACTED';
  if (url.password) url.password = 'REDACTED';
  for (const name of [...url.searchParams.keys()]) url.searchParams.set(name, 'REDACTED');
  return url.toString();
}

export async function listModels(options: { json?: boolean }): Promise<void> {
  const config = getConfig();
  const rows = [];
  for (const provider of config.catalog.providers.values()) {
    const key = await keySource(provider, config);
    for (const model of provider.models) {
      const capabilities = capabilitiesOf(config.catalog, provider, model.name);
      rows.push({
        provider: provider.name,
        model: model.name,
        ref: `${provider.name}:${model.name}`,
        aliases: model.aliases,
        default: provider.defaultModel === model.name,
        context_window: model.contextWindow ?? null,
        max_tokens: model.maxTokens ?? null,
        pricing: model.pricing
          ? {
              input: model.pricing.input,
              output: model.pricing.output,
              cached_input: model.pricing.cachedInput ?? null,
              cache_write: model.pricing.cacheWrite ?? null,
            }
          : null,
        prices_as_of: model.pricing ? (model.pricesAsOf ?? null) : null,
        // In models.yaml's order of names, so that equal sets read alike.
        capabilities: Object.keys(CAPABILITIES).filter((name) => capabilities.has(name)),
        key,
        base_url: displayBaseURL(baseURLFor(provider, config.env)),
      });
    }
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const color = useColor(process.stdout);
  const table = [['MODEL', 'ALIASES', 'CONTEXT', 'IN $/1M', 'OUT $/1M', 'CAN', 'KEY']];
  for (const row of rows) {
    table.push([
      `${row.ref}${row.default ? ' *' : ''}`,
      row.aliases.join(', '),
      row.context_window ? `${Math.round(row.context_window / 1000)}k` : '',
      row.pricing ? row.pricing.input.toFixed(2) : 'unpriced',
      row.pricing ? row.pricing.output.toFixed(2) : '',
      row.capabilities.filter((name) => SHOWN_CAPABILITIES.includes(name)).join(','),
      row.key === 'not-needed' ? 'not needed' : row.key === 'none' ? 'missing' : row.key === 'locked' ? 'vault locked' : row.key,
    ]);
  }
  const widths = table[0]!.map((_, column) => Math.max(...table.map((line) => line[column]!.length)));
  for (const [index, line] of table.entries()) {
    const text = line.map((cell, column) => (column === line.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
    process.stdout.write(`${index === 0 ? paint(text, 'bold', color) : text}\n`);
  }
  process.stdout.write(
    `${staleNote(rows)}\n* default model of its provider. CAN: what it can do (--json also lists the request quirks). Keys come from the vault, else the environment (llmo auth status).\n`,
  );
}

/** Prices checked more than this many days ago are flagged: vendors change them. */
const STALE_PRICE_DAYS = 90;

function staleNote(rows: readonly { ref: string; prices_as_of: string | null }[]): string {
  const cutoff = Date.now() - STALE_PRICE_DAYS * 86_400_000;
  const stale = rows.filter((row) => row.prices_as_of !== null && Date.parse(`${row.prices_as_of}T00:00:00Z`) < cutoff);
  if (stale.length === 0) return '';
  const oldest = stale.map((row) => row.prices_as_of!).sort()[0];
  return `\nprices older than ${STALE_PRICE_DAYS} days (as of ${oldest}) for ${stale.map((row) => row.ref).join(', ')}: check them, or refresh with llmo models prices import FILE\n`;
}

/** What a person chooses a model by; the request-shape quirks are in --json. */
const SHOWN_CAPABILITIES: readonly string[] = ['tools', 'vision', 'pdf', 'json_schema', 'reasoning', 'embeddings'];

/**
 * `llmo models --remote [PROVIDER]`: what the provider's endpoint serves for this key (every
 * provider with a key when none is named), and whether models.yaml lists each.
 */
export async function listRemoteModels(providerName: string | undefined, options: { json?: boolean }): Promise<void> {
  const config = getConfig();
  const providers = providerName ? [providerByName(config, providerName)] : [...config.catalog.providers.values()];
  const rows = [];
  for (const provider of providers) {
    const found = await resolveApiKey(provider, config, { interactive: !options.json && Boolean(process.stdin.isTTY) });
    if (found.source === 'none' || (found.source === 'not-needed' && !providerName)) {
      if (providerName) await lookupApiKey(provider, config, { interactive: false });
      continue;
    }
    const listed = new Set(provider.models.flatMap((model) => [model.name, ...model.aliases]));
    for (const model of await fetchRemoteModels(provider, found.key, config.env)) {
      rows.push({
        provider: provider.name,
        id: model.id,
        ref: `${provider.name}:${model.id}`,
        display_name: model.displayName ?? null,
        created_at: model.createdAt ?? null,
        context_window: model.contextWindow ?? null,
        max_output_tokens: model.maxOutputTokens ?? null,
        in_models_yaml: listed.has(model.id),
      });
    }
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const table = [['MODEL', 'NAME', 'CREATED', 'CONTEXT', 'IN MODELS.YAML']];
  for (const row of rows) {
    table.push([
      row.ref,
      row.display_name ?? '',
      row.created_at?.slice(0, 10) ?? '',
      row.context_window ? `${Math.round(row.context_window / 1000)}k` : '',
      row.in_models_yaml ? 'yes' : '',
    ]);
  }
  const color = useColor(process.stdout);
  const widths = table[0]!.map((_, column) => Math.max(...table.map((line) => line[column]!.length)));
  for (const [index, line] of table.entries()) {
    const text = line
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
    process.stdout.write(`${index === 0 ? paint(text, 'bold', color) : text}\n`);
  }
}

function providerByName(config: LlmoConfig, name: string): ProviderInfo {
  const provider = config.catalog.providers.get(name);
  if (provider) return provider;
  const suggestions = closeMatches(name, [...config.catalog.providers.keys()]);
  throw new ConfigError(`unknown provider "${name}"${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}`, {
    hint: '`llmo models` lists the configured providers',
  });
}
