/** `llmo cache stats | prune | clear`: the response cache, whether or not it is enabled. */
import path from 'node:path';
import { ResponseCache } from '../../cache/response-cache.js';
import { readRecords } from '../../usage/usage-log.js';
import { getConfig } from '../context.js';

function openCache(): ResponseCache {
  const { settings, paths } = getConfig();
  return new ResponseCache({
    directory: path.join(paths.cacheDir, 'responses'),
    ttlMs: settings.cache.ttlSeconds * 1000,
    maxBytes: settings.cache.maxMegabytes * 1024 * 1024,
  });
}

export async function cacheStats(): Promise<void> {
  const { settings, paths } = getConfig();
  const stats = await openCache().stats();
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
  const width = Math.max(...rows.map(([name]) => name.length));
  process.stdout.write(rows.map(([name, value]) => `${name.padEnd(width)}  ${value}\n`).join(''));
}

export async function cachePrune(): Promise<void> {
  const { removed, bytes } = await openCache().prune();
  process.stdout.write(`removed ${removed} ${removed === 1 ? 'entry' : 'entries'} (${megabytes(bytes)} MB)\n`);
}

export async function cacheClear(): Promise<void> {
  const { removed, bytes } = await openCache().clear();
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
