/** `llmo models`: what can be called, what it costs, and whether a key is there (never the key). */
import { baseURLFor } from '../providers/registry.js';
import { getConfig } from './context.js';
import { keyFromEnvironment } from './keys.js';
import { paint, useColor } from './output.js';

export async function listModels(options: { json?: boolean }): Promise<void> {
  const config = getConfig();
  const rows = [];
  for (const provider of config.catalog.providers.values()) {
    const key = keyFromEnvironment(provider, config.env);
    for (const model of provider.models) {
      rows.push({
        provider: provider.name,
        model: model.name,
        ref: `${provider.name}:${model.name}`,
        aliases: model.aliases,
        default: provider.defaultModel === model.name,
        context_window: model.contextWindow ?? null,
        max_tokens: model.maxTokens ?? null,
        pricing: model.pricing
          ? { input: model.pricing.input, output: model.pricing.output, cached_input: model.pricing.cachedInput ?? null }
          : null,
        key: key.source,
        base_url: baseURLFor(provider, config.env) ?? null,
      });
    }
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const color = useColor(process.stdout);
  const table = [['MODEL', 'ALIASES', 'CONTEXT', 'IN $/1M', 'OUT $/1M', 'KEY']];
  for (const row of rows) {
    table.push([
      `${row.ref}${row.default ? ' *' : ''}`,
      row.aliases.join(', '),
      row.context_window ? `${Math.round(row.context_window / 1000)}k` : '',
      row.pricing ? row.pricing.input.toFixed(2) : 'unpriced',
      row.pricing ? row.pricing.output.toFixed(2) : '',
      row.key === 'not-needed' ? 'not needed' : row.key === 'none' ? 'missing' : row.key,
    ]);
  }
  const widths = table[0]!.map((_, column) => Math.max(...table.map((line) => line[column]!.length)));
  for (const [index, line] of table.entries()) {
    const text = line.map((cell, column) => (column === line.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
    process.stdout.write(`${index === 0 ? paint(text, 'bold', color) : text}\n`);
  }
  process.stdout.write(`\n* default model of its provider. Keys come from the vault, else the environment (llmo auth status).\n`);
}
