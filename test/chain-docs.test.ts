/**
 * Every chain example of docs/chains.md (a ```yaml block that is a chain file: `steps:` at its
 * top level) is loaded, checked and planned by the built CLI with `--dry-run`, and its conditions
 * and blocks are shown as decided at run time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from './fake-providers/server.mjs';
import { makeHome, removeHome, repoRoot, runLlmo, TEST_KEYS } from './helpers/run-llmo.js';

function chainExamples(): Array<{ line: number; yaml: string }> {
  const lines = readFileSync(path.join(repoRoot, 'docs/chains.md'), 'utf8').split('\n');
  const examples: Array<{ line: number; yaml: string }> = [];
  for (let index = 0; index < lines.length; index += 1) {
    if (lines[index]!.trim() !== '```yaml' || lines[index + 1] !== 'steps:') continue;
    const end = lines.indexOf('```', index + 1);
    examples.push({ line: index + 1, yaml: lines.slice(index + 1, end).join('\n') });
    index = end;
  }
  return examples;
}

let fake: FakeProviders;
let home: string;

beforeAll(async () => {
  fake = await startFakeProviders();
  home = makeHome();
});
afterAll(async () => {
  removeHome(home);
  await fake.close();
});

describe('docs/chains.md chain examples', () => {
  const examples = chainExamples();

  it('has an example for each construct', () => {
    const all = examples.map((example) => example.yaml).join('\n');
    for (const construct of ['when:', 'judge:', 'repeat:', 'until:', 'until_stable:', 'switch:', 'default:', 'on_error:'])
      expect(all).toContain(construct);
  });

  it.each(examples.map((example) => [example.line, example.yaml]))('the example at line %i plans with --dry-run', async (line, yaml) => {
    const file = path.join(home, `example-${line}.yaml`);
    writeFileSync(file, yaml as string);
    const result = await runLlmo(['chain', 'run', file, '--dry-run', 'some input'], { home, env: { ...fake.env(), ...TEST_KEYS } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    if (/when:|repeat:|switch:/.test(yaml as string)) expect(result.stdout).toContain('decided at run time');
    expect(fake.requests).toEqual([]);
  });
});
