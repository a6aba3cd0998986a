import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret, SecretBytes } from './secret.js';

describe('Secret', () => {
  const secret = new Secret('sk-very-secret');

  it('prints [REDACTED] everywhere a value could leak', () => {
    expect(String(secret)).toBe('[REDACTED]');
    expect(`${secret}`).toBe('[REDACTED]');
    expect(JSON.stringify({ key: secret })).toBe('{"key":"[REDACTED]"}');
    expect(inspect({ nested: { key: secret } })).not.toContain('sk-very-secret');
    expect(inspect(secret)).toBe('[REDACTED]');
    expect(new Error(`bad key ${secret}`).message).toBe('bad key [REDACTED]');
  });

  it('gives the value only to reveal()', () => {
    expect(secret.reveal()).toBe('sk-very-secret');
    expect(Object.keys(secret)).toEqual([]);
  });
});

describe('SecretBytes', () => {
  it('is redacted and zeroes its bytes on dispose', () => {
    const raw = Buffer.from('0123456789abcdef0123456789abcdef');
    const bytes = new SecretBytes(raw);
    expect(inspect(bytes)).toBe('[REDACTED]');
    expect(JSON.stringify([bytes])).toBe('["[REDACTED]"]');
    const copy = bytes.copy();
    bytes.dispose();
    expect(raw.every((byte) => byte === 0)).toBe(true);
    expect(copy.toString()).toBe('0123456789abcdef0123456789abcdef');
    expect(() => bytes.reveal()).toThrow(/after dispose/);
  });
});
