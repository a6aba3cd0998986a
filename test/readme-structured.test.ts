/**
 * The README's "Structured output" section is runnable as written: every `console` block in it
 * is run with the built CLI against the fake providers, and its output compared. A
 * `<!-- fake: {…}, exit: N -->` comment before a block gives the fake model's reply and the exit
 * code; a block that ends with a failure shows stderr (stdout must then be empty).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useE2e } from './helpers/e2e.js';
import { repoRoot, runLlmo, TEST_KEYS } from './helpers/run-llmo.js';

interface Example {
  command: string;
  expected: string;
  scenario: Record<string, unknown> | undefined;
  exitCode: number;
}

function examples(): Example[] {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf('## Structured output');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const blocks = section.matchAll(/(?:<!-- fake: (none|\{.*\})(?:, exit: (\d+))? -->\n)?```console\n\$ (.*)\n([\s\S]*?)```/g);
  return [...blocks].map((match) => ({
    command: match[3]!,
    expected: match[4]!,
    scenario: match[1] && match[1] !== 'none' ? (JSON.parse(match[1]) as Record<string, unknown>) : undefined,
    exitCode: Number(match[2] ?? 0),
  }));
}

/** Shell words: spaces separate, double quotes group (with \" and \\ inside). */
function shellWords(command: string): string[] {
  const words: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const match of command.matchAll(pattern)) words.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!);
  return words;
}

const e2e = useE2e({ providers: ['openai'], home: 'file' });

describe('README, Structured output', () => {
  const all = examples();
  it('has its examples', () => {
    expect(all.length).toBeGreaterThanOrEqual(5);
  });

  for (const example of all) {
    it(`runs as written: ${example.command}`, async () => {
      e2e.fake.reset();
      if (example.scenario) e2e.fake.setDefault('openai', example.scenario);
      const [program, ...args] = shellWords(example.command);
      expect(program).toBe('llmo');
      const result = await runLlmo(args, { home: e2e.home, env: { OPENAI_BASE_URL: e2e.fake.baseURLs.openai, ...TEST_KEYS } });
      expect(result.code).toBe(example.exitCode);
      if (example.exitCode === 0) {
        expect(result.stdout).toBe(example.expected);
      } else {
        expect(result.stdout).toBe('');
        expect(result.stderr).toBe(example.expected);
      }
    });
  }
});
