import { UsageError } from '../errors.js';

/** A numeric flag, checked up front with a message naming the flag. */
export function parseNumberFlag(
  flag: string,
  value: string | undefined,
  limits: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  const ok =
    value.trim() !== '' &&
    Number.isFinite(number) &&
    (limits.min === undefined || number >= limits.min) &&
    (limits.max === undefined || number <= limits.max) &&
    (!limits.integer || Number.isInteger(number));
  if (!ok) {
    const range = [limits.min !== undefined ? `≥ ${limits.min}` : '', limits.max !== undefined ? `≤ ${limits.max}` : '']
      .filter(Boolean)
      .join(' and ');
    throw new UsageError(`${flag} must be ${limits.integer ? 'a whole number' : 'a number'}${range ? ` ${range}` : ''}, got "${value}"`);
  }
  return number;
}
