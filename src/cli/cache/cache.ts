/** `llmo cache stats | prune | clear`: the response cache, whether or not it is enabled. */
import path from 'node:path';
import { readRecords } from '../../usage/usage-log.js';
import type { UsageRecord } from '../../usage/usage-record.js';
import { getConfig, openResponseCache } from '../context.js';

export async function cacheStats(): Promise<void> {
  const { settings, paths } = getConfig();
  const stats = await (await openResponseCache()).stats();
  const { records } = await readRecords(paths.usageDir);
  const hits = records.filter((record) => record.cached === true).length;
  const misses = records.filter((record) => record.cached === false).length;
  const rows: [string, string][] = [
    ['directory', stats.directory],
    ['enabled', settings.cache.enabled ? 'yes (cache.enabled)' : 'no (only with --cache)'],
    ['entries', String(stats.entries)],
    ['size', `${megabytes(stats.bytes)} of ${settings.cache.maxMegabytes} MB`],
    ['expired', `${stats.expired} (removed by llmo cache prune)`],
    ['ttl', duration(settings.cache.ttlSeconds)],
    ['hits', String(hits)],
    ['misses', String(misses)],
  ];
  if (stats.newest !== undefined) rows.push(['last used', new Date(stats.newest).toISOString()]);
  rows.push(...(await semanticRows(records)));
  const width = Math.max(...rows.map(([name]) => name.length));
  process.stdout.write(rows.map(([name, value]) => `${name.padEnd(width)}  ${value}\n`).join(''));
}

/** The semantic cache: its index, its hits and how close their prompts were. */
async function semanticRows(records: readonly UsageRecord[]): Promise<[string, string][]> {
  const { settings, paths } = getConfig();
  const similarities = records.flatMap((record) => (record.similarity === undefined ? [] : [record.similarity])).sort((a, b) => a - b);
  const semantic = settings.cache.semantic;
  if (!semantic && similarities.length === 0) return [];
  const { SemanticIndex } = await import('../../cache/semantic-index.js');
  const index = await new SemanticIndex(path.join(paths.cacheDir, 'semantic')).stats();
  const rows: [string, string][] = [
    ['semantic', semantic ? `${semantic.embeddingModel}, threshold ${semantic.threshold}` : 'off (cache.semantic)'],
    ['semantic prompts', `${index.entries} in ${index.scopes} scope${index.scopes === 1 ? '' : 's'}`],
    ['semantic hits', String(similarities.length)],
  ];
  if (similarities.length) {
    const median = similarities[Math.floor(similarities.length / 2)]!;
    rows.push(['similarity', `min ${similarities[0]!.toFixed(3)}, median ${median.toFixed(3)}, max ${similarities.at(-1)!.toFixed(3)}`]);
  }
  return rows;
}

export async function cachePrune(): Promise<void> {
  const { removed, bytes } = await (await openResponseCache()).prune();
  process.stdout.write(`removed ${removed} ${removed === 1 ? 'entry' : 'entries'} (${megabytes(bytes)} MB)\n`);
}

export async function cacheClear(): Promise<void> {
  const { removed, bytes } = await (await openResponseCache()).clear();
  const { SemanticIndex } = await import('../../cache/semantic-index.js');
  await new SemanticIndex(path.join(getConfig().paths.cacheDir, 'semantic')).clear();
  process.stdout.write(`removed ${removed} ${removed === 1 ? 'entry' : 'entries'} (${megabytes(bytes)} MB)\n`);
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 3 : 1);
}

function duration(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
