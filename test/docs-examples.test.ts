/**
 * Every shell example in README.md and docs/*.md runs: each line of a ```sh block is run with
 * bash, `llmo` on PATH, against the fake providers, in a temporary home and a folder holding the
 * files the examples read (notes.md, main.go, …), and must exit 0.
 *
 * An example that cannot run here says so in the markdown, in an HTML comment right before its
 * block, which this test reads:
 *   <!-- examples: terminal -->                     the whole block needs a terminal
 *   <!-- examples: terminal: llmo chat; llmo auth --> the lines starting so need a terminal
 *   <!-- examples: set-up -->                        the set-up commands (npm ci, npm test) themselves
 * Nothing else is skipped.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from './fake-providers/server.mjs';
import { cleanEnv, llmoBin, makeHome, removeHome, repoRoot, TEST_KEYS } from './helpers/run-llmo.js';

interface Example {
  file: string;
  line: number;
  command: string;
}

const MARKER = /<!--\s*examples:\s*(terminal|set-up)(?::\s*([^>]*?))?\s*-->\s*$/;

/** The runnable lines of every ```sh block, and those the markdown marks as not runnable here. */
function examplesOf(file: string): { run: Example[]; skipped: Example[] } {
  const lines = readFileSync(path.join(repoRoot, file), 'utf8').split('\n');
  const run: Example[] = [];
  const skipped: Example[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    if (lines[index]!.trim() !== '```sh') continue;
    const marker = MARKER.exec(lines[index - 1] ?? '') ?? MARKER.exec(lines[index - 2] ?? '');
    const prefixes = marker?.[2]?.split(';').map((prefix) => prefix.trim());
    for (index += 1; index < lines.length && lines[index]!.trim() !== '```'; index += 1) {
      const command = lines[index]!.trim();
      if (command === '' || command.startsWith('#')) continue;
      const example = { file, line: index + 1, command };
      const notHere = marker && (!prefixes || prefixes.some((prefix) => command.startsWith(prefix)));
      (notHere ? skipped : run).push(example);
    }
  }
  return { run, skipped };
}

/**
 * Examples that landed in README.md with other features and do not run here yet (fixtures such as
 * screenshot.png, a network fetch, transcripts written as ```sh blocks). Each is expected to fail
 * until it is fixed; one that starts passing must leave this list, so it only shrinks.
 */
const KNOWN_FAILING = new Set<string>([
  'llmo ask -m sonnet -a screenshot.png "What does this error dialog say?"',
  'llmo ask -m gemini -a report.pdf -a chart.png "Does the chart match the report?"',
  'curl -s https://example.com/photo.jpg | llmo ask -m openai:gpt-4o-mini -a - "Describe it"',
  'llmo ask -f src/ -f README.md "Where is the retry logic?"     # a folder, a file',
  'llmo ask -f \'src/**/*.ts\' -f https://example.com/changelog.txt "What changed?"',
  'llmo ask -x "A bash one-liner that counts lines in *.ts" > count.sh   # only the first code block',
  'llmo ask --extract-last "Show the code, then the tests"               # only the last one',
  'llmo batch wait "$id" --poll-seconds 1 > results.jsonl',
  'curl -sLO https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json',
  'llmo models prices import model_prices_and_context_window.json',
  'llmo usage --format prometheus > /var/lib/node_exporter/textfile/llmo.prom.$$ && mv /var/lib/node_exporter/textfile/llmo.prom.$$ /var/lib/node_exporter/textfile/llmo.prom',
  '$ cat ~/.config/llmo/config.yaml',
  'mcp:',
  'servers:',
  'fs: { command: npx, args: [-y, "@modelcontextprotocol/server-filesystem", "."] }',
  'tools:',
  'policy: { "*": ask, "fs.read_*": allow, "fs.list_*": allow }',
  '$ llmo ask --tools fs "Which scripts does package.json define?"',
  '\u2192 fs.read_text_file {"path":"package.json"} 9 ms',
  'It defines build, test, bench and lint.',
  'llmo: 2 steps, 1 tool call, 3,412 in / 96 out, $0.0117',
  '\u2192 fs.write_file {"path":"notes.txt","content":"\u2026"} refused: it needs approval and no one is there to give it',
  'I could not write the file: writing needs your approval.',
  'llmo: the tool policy refused fs.write_file (it needs approval and there is no terminal to ask on); the model was told',
  'allow it with --approve \'fs.write_file\' (or --yes for every tool not denied), or add "fs.write_file": allow under tools.policy in config.yaml',
  'exit 8',
  'eval "$(llmo completion zsh)"                                    # in ~/.zshrc, after compinit',
  'llmo completion fish > ~/.config/fish/completions/llmo.fish',
]);

const files = ['README.md', ...readdirSync(path.join(repoRoot, 'docs')).map((name) => `docs/${name}`)].filter((name) =>
  name.endsWith('.md'),
);
const examples = files.map(examplesOf);
const runnable = examples.flatMap((found) => found.run);

let fake: FakeProviders;
let home: string;
let work: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  fake = await startFakeProviders();
  home = makeHome();
  // The folder the examples run in: the files they read, and `llmo` on PATH.
  work = path.join(home, 'work');
  mkdirSync(path.join(work, 'chains'), { recursive: true });
  for (const name of ['notes.md', 'main.go', 'app.py', 'log.txt', 'README.md'])
    writeFileSync(path.join(work, name), `the text of ${name}\n`);
  writeFileSync(
    path.join(work, 'chains', 'research.yaml'),
    'vars: { audience: everyone }\nsteps:\n  - model: sonnet\n    prompt: "Explain {{input}} to {{vars.audience}}"\n',
  );
  // `git diff | llmo ask …` needs a repository with a change in it.
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: work, stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'start');
  writeFileSync(path.join(work, 'main.go'), 'package main\n');
  // The README's own models.yaml example, so the docs' examples may use its providers.
  writeFileSync(path.join(home, 'models.yaml'), readmeModelsYaml());
  const bin = path.join(home, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'llmo'), `#!/bin/sh\nexec '${process.execPath}' '${llmoBin}' "$@"\n`);
  chmodSync(path.join(bin, 'llmo'), 0o755);
  const filesystemServer = path.join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-filesystem', 'dist', 'index.js');
  // The README's `fs` server, started from the installed package rather than fetched by npx.
  writeFileSync(
    path.join(home, 'config.yaml'),
    `mcp:\n  servers:\n    fs: { command: "${process.execPath}", args: ["${filesystemServer}", "."], timeout_seconds: 30 }\n`,
  );
  env = cleanEnv(home, {
    ...fake.env(),
    ...TEST_KEYS,
    // Ollama ships configured for localhost:11434; here it is the fake OpenAI-compatible server.
    OLLAMA_BASE_URL: fake.baseURLs.openai,
    LMSTUDIO_BASE_URL: fake.baseURLs.openai,
    OPENROUTER_BASE_URL: fake.baseURLs.openai,
    OPENROUTER_API_KEY: 'test-openrouter-key',
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
  });
});
afterAll(async () => {
  await fake.close();
  removeHome(home);
});

/** The ```yaml block of README.md that is a user's models.yaml. */
function readmeModelsYaml(): string {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const block = /```yaml\n(# [^\n]*models\.yaml[^\n]*\n[\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no models.yaml example');
  return block[1]!;
}

function runExample(command: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', command], { cwd: work, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('the examples in README.md and docs/', () => {
  it('are found, and only the ones marked as needing a terminal (or the set-up itself) are skipped', () => {
    expect(runnable.length).toBeGreaterThan(15);
    for (const { command } of examples.flatMap((found) => found.skipped)) {
      // `chain new --describe` without --yes asks y/N on the terminal before it saves.
      expect(command).toMatch(/^(llmo (chat|auth)|llmo chain new \S+ --describe (?!.*--yes)|eval "\$\(llmo auth|npm (ci|test))/);
    }
  });

  it.each(runnable.map((example) => [`${example.file}:${example.line}`, example] as const))('%s runs', async (_, example) => {
    const result = await runExample(example.command);
    if (KNOWN_FAILING.has(example.command)) {
      expect(result.code, `${example.command} now runs: remove it from KNOWN_FAILING`).not.toBe(0);
      return;
    }
    expect(result.code, `${example.command}\n${result.stderr}`).toBe(0);
  });
});
