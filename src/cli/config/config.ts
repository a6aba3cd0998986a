/** `llmo config path|get`. */
import { existsSync, readFileSync } from 'node:fs';
import { parseDocument, type Document } from 'yaml';
import { buildSettings } from '../../config/settings.js';
import type { ToolDecision } from '../../config/tool-settings.js';
import { parseYaml } from '../../config/yaml-file.js';
import { writeFileAtomic } from '../../conversations/index.js';
import { ConfigError } from '../../errors.js';
import { getConfig } from '../context.js';

export function printPaths(): void {
  const { paths } = getConfig();
  const rows: [string, string][] = [
    ['models (shipped)', paths.shippedModelsFile],
    ['models (user)', paths.userModelsFile],
    ['config (shipped)', paths.shippedConfigFile],
    ['config (user)', paths.userConfigFile],
    ['config (project)', paths.projectFile],
    ['vault', paths.vaultFile],
    ['templates', paths.templatesDir],
    ['conversations', paths.conversationsDir],
    ['usage log', paths.usageDir],
    ['chain runs', paths.runsDir],
    ['runtime', paths.runtimeDir],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, file] of rows) {
    process.stdout.write(`${label.padEnd(width)}  ${file}${existsSync(file) ? '' : '  (not found)'}\n`);
  }
}

export function getSetting(key: string | undefined): void {
  const { settings } = getConfig();
  const plain = {
    main_llm: settings.mainLlm,
    request: {
      timeout_seconds: settings.request.timeoutSeconds ?? null,
      retries: settings.request.retries,
      retry_base_delay_ms: settings.request.retryBaseDelayMs,
      retry_max_delay_ms: settings.request.retryMaxDelayMs,
    },
    ask: settings.ask,
    chat: settings.chat,
    parallel: { timeout_seconds: settings.parallel.timeoutSeconds ?? null, concurrency: settings.parallel.concurrency },
    batch: { concurrency: settings.batch.concurrency, rpm: settings.batch.rpm ?? null, tpm: settings.batch.tpm ?? null },
    budgets: {
      per_call_usd: settings.budgets.perCallUsd ?? null,
      daily_usd: settings.budgets.dailyUsd ?? null,
      monthly_usd: settings.budgets.monthlyUsd ?? null,
      warn_at: settings.budgets.warnAt,
    },
    chains: [...settings.chains.keys()],
  } as Record<string, unknown>;
  let value: unknown = plain;
  for (const part of key ? key.split('.') : []) {
    const camel = part.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
    const node = value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
    const name = node && part in node ? part : node && camel in node ? camel : undefined;
    if (!node || name === undefined) throw new ConfigError(`no setting "${key}"`, { hint: 'llmo config get lists every setting' });
    value = node[name];
  }
  if (value === undefined) {
    // Nothing on stdout, so `$(llmo config get …)` is empty for a setting that is not set.
    const { catalog } = getConfig();
    const fallback =
      key === 'main_llm.model'
        ? `; llmo uses ${settings.mainLlm.provider}'s default model (${catalog.providers.get(settings.mainLlm.provider)?.defaultModel ?? 'none configured'})`
        : '';
    process.stderr.write(`llmo: ${key} is not set${fallback}\n`);
    return;
  }
  process.stdout.write(value !== null && typeof value === 'object' ? `${JSON.stringify(value, null, 2)}\n` : `${String(value)}\n`);
}

/**
 * `llmo config set budgets.daily_usd 5`: writes one setting into the user's config.yaml, keeping
 * its comments and layout, and only when the result validates.
 */
export async function setSetting(key: string, rawValue: string): Promise<void> {
  const { paths } = getConfig();
  const fieldPath = key.split('.');
  if (fieldPath.some((part) => !/^[a-z][a-z0-9_-]*$/.test(part))) {
    throw new ConfigError(`"${key}" is not a setting key`, {
      hint: 'use a dotted key such as budgets.daily_usd (llmo config get lists them)',
    });
  }
  if (fieldPath[0] === 'chains') {
    throw new ConfigError('chains are not set one value at a time', {
      hint: `edit ${paths.userConfigFile}, or run a chain file: llmo chain run FILE`,
    });
  }
  // The value is read as YAML, so 5 is a number, true a boolean and null clears a limit.
  const value = parseDocument(rawValue).toJS() as unknown;
  await editUserConfig(
    (document) => {
      document.setIn(fieldPath, value);
      // A new provider means that provider's default model, not the model chosen for the old one.
      if (key === 'main_llm.provider' && document.hasIn(['main_llm', 'model'])) document.deleteIn(['main_llm', 'model']);
    },
    (shipped) => {
      const known = fieldPath.reduce<unknown>(
        (node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined),
        shipped,
      );
      if (known === undefined && fieldPath.length > 1) {
        throw new ConfigError(`no setting "${key}"`, { hint: 'llmo config get lists every setting' });
      }
    },
  );
  process.stdout.write(`${key} = ${JSON.stringify(value)}  (${paths.userConfigFile})\n`);
}

/**
 * "Always" in a tool confirmation: `tools.policy` gets the rule as its last entry (the last match
 * wins, so it must come last; an earlier rule for the same pattern is moved).
 */
export async function saveToolRule(pattern: string, decision: ToolDecision): Promise<string> {
  return editUserConfig((document) => {
    document.deleteIn(['tools', 'policy', pattern]);
    document.setIn(['tools', 'policy', pattern], decision);
  });
}

/**
 * Edits the user's config.yaml keeping its comments and layout, and writes it only when the
 * result validates (unknown keys and wrong types are refused, naming the field) and passes
 * `check`, which sees the shipped defaults. Returns the file.
 */
async function editUserConfig(edit: (document: Document) => void, check?: (shipped: unknown) => void): Promise<string> {
  const { paths } = getConfig();
  let text = '';
  try {
    text = readFileSync(paths.userConfigFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const document = parseDocument(text);
  if (document.errors.length > 0) parseYaml(paths.userConfigFile, text); // throws with file:line
  const shipped = parseYaml(paths.shippedConfigFile, readFileSync(paths.shippedConfigFile, 'utf8'));
  edit(document);
  const updated = document.toString();
  buildSettings([shipped, parseYaml(paths.userConfigFile, updated)]);
  check?.(shipped.value);
  await writeFileAtomic(paths.userConfigFile, updated);
  return paths.userConfigFile;
}
