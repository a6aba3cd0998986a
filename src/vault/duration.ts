/** Durations as people type them: 90s, 15m, 2h, 1h30m. */
import { UsageError } from '../errors.js';

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000 };

export function parseDuration(text: string, flag = '--ttl'): number {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)([smh])/g)];
  if (trimmed === '' || parts.map((part) => part[0]).join('') !== trimmed) {
    throw new UsageError(`${flag} must be a duration like 90s, 15m, 2h or 1h30m, got "${text}"`);
  }
  const ms = parts.reduce((total, [, amount, unit]) => total + Number(amount) * UNITS[unit!]!, 0);
  if (ms < 1_000) throw new UsageError(`${flag} must be at least 1s`);
  return Math.round(ms);
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return minutes > 0 ? `${hours}h ${String(minutes).padStart(2, '0')}m` : `${hours}h`;
  if (minutes > 0) return rest > 0 ? `${minutes}m ${String(rest).padStart(2, '0')}s` : `${minutes}m`;
  return `${rest}s`;
}
