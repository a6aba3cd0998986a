/**
 * Vendor knowledge lives in src/providers/ only: no file elsewhere in src/ or test/ names a
 * vendor's host or one of its auth or protocol headers. The fake providers in
 * test/fake-providers/ are the vendors' stand-ins and may. models.yaml keeps its base_url values:
 * it is data the user reads and overrides, not code that knows a vendor.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/run-llmo.js';

// Spelt in pieces, so that this file does not trip its own check.
const VENDOR_WORDS = [
  ['api.openai', '.com'],
  ['api.anthropic', '.com'],
  ['generativelanguage', '.googleapis.com'],
  ['api.mistral', '.ai'],
  ['api.deepseek', '.com'],
  ['x-api', '-key'],
  ['x-goog', '-api-key'],
  ['anthropic', '-version'],
  ['anthropic', '-beta'],
  ['mistral-correlation', '-id'],
  ['x-ds-trace', '-id'],
].map((parts) => parts.join(''));

const ALLOWED_DIRECTORIES = ['src/providers', 'test/fake-providers'];

function files(directory: string): string[] {
  return readdirSync(path.join(repoRoot, directory), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${directory}/${entry.name}`;
    if (ALLOWED_DIRECTORIES.includes(relative)) return [];
    if (entry.isDirectory()) return files(relative);
    return /\.(ts|tsx|mts|js|mjs)$/.test(entry.name) ? [relative] : [];
  });
}

/** Which vendor words a text contains (case-insensitive). */
function vendorWordsIn(text: string): string[] {
  const lower = text.toLowerCase();
  return VENDOR_WORDS.filter((word) => lower.includes(word));
}

describe('vendor knowledge', () => {
  it('is found by the check (a host, a header)', () => {
    expect(vendorWordsIn(`fetch('https://${VENDOR_WORDS[0]}/v1', { headers: { '${VENDOR_WORDS[5]!.toUpperCase()}': key } })`)).toEqual([
      VENDOR_WORDS[0],
      VENDOR_WORDS[5],
    ]);
  });

  it('stays in src/providers/ (and the fakes)', () => {
    const scanned = [...files('src'), ...files('test'), ...files('bin')];
    expect(scanned.length).toBeGreaterThan(50);
    const offenders = scanned.flatMap((file) =>
      vendorWordsIn(readFileSync(path.join(repoRoot, file), 'utf8')).map((word) => `${file}: ${word}`),
    );
    expect(offenders).toEqual([]);
  });
});
