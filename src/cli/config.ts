/** `llmo config path|get`. */
import { existsSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { getConfig } from './context.js';

export function printPaths(): void {
  const { paths } = getConfig();
  const rows: [string, string][] = [
    ['models (shipped)', paths.shippedModelsFile],
    ['models (user)', paths.userModelsFile],
    ['config (shipped)', paths.shippedConfigFile],
    ['config (user)', paths.userConfigFile],
    ['config (project)', paths.projectFile],
    ['vault', paths.vaultFile],
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
    const next = value && typeof value === 'object' ? ((value as Record<string, unknown>)[part] ?? (value as Record<string, unknown>)[camel]) : undefined;
    if (next === undefined) throw new ConfigError(`no setting "${key}"`, { hint: 'llmo config get lists every setting' });
    value = next;
  }
  process.stdout.write(typeof value === 'object' ? `${JSON.stringify(value, null, 2)}\n` : `${String(value)}\n`);
}
