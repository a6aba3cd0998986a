/** `llmo cache stats | prune | clear`: the response cache, whether or not it is enabled. */
import { readRecords } from '../../usage/usage-log.js';
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
  const width = Math.max(...rows.map(([name]) => name.length));
  process.stdout.write(rows.map(([name, value]) => `${name.padEnd(width)}  ${value}\n`).join(''));
}

export async function cachePrune(): Promise<void> {
  const { removed, bytes } = await (await openResponseCache()).prune();
  process.stdout.write(`removed ${removed} ${removed === 1 ? 'entry' : 'entries'} (${megabytes(bytes)} MB)\n`);
}

export async function cacheClear(): Promise<void> {
  const { removed, bytes } = await (await openResponseCache()).clear();
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
