/**
 * Vitest global setup: the whole run gets one private temporary folder (TMPDIR, inherited by
 * every worker and every llmo the tests start), so whatever a test forgets to remove does not
 * pile up in /tmp. What is left at the end is listed, so a leaking test is still found and fixed,
 * and then removed.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const folder = mkdtempSync(path.join(tmpdir(), 'llmo-tests-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = folder;
  return () => {
    const left = readdirSync(folder);
    if (left.length > 0) {
      process.stderr.write(`tests left ${left.length} entries in their temporary folder (removed now): ${left.slice(0, 8).join(', ')}\n`);
    }
    rmSync(folder, { recursive: true, force: true });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  };
}
