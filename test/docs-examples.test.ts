/**
 * Every shell example in README.md and docs/*.md runs: each ```sh block is run as one bash
 * session (so `id=$(…)` on one line is there for the next), `llmo` on PATH, against the fake
 * providers, in a temporary home and a folder holding the files the examples read (notes.md,
 * main.go, screenshot.png, report.pdf, a src/ folder with a .gitignore, LiteLLM's price file, …),
 * and every line must exit 0. What a block starts in the background is stopped when it ends.
 *
 * An example that cannot run here says so in the markdown, in an HTML comment right before its
 * block, which this test reads:
 *   <!-- examples: terminal -->                     the whole block needs a terminal
 *   <!-- examples: terminal: llmo chat; llmo auth --> the lines starting so need a terminal
 *   <!-- examples: set-up -->                        the set-up commands (npm ci, npm test) themselves
 *   <!-- examples: network: curl -->                 the lines starting so fetch from the internet;
 *                                                    they must name an https URL, and the lines after
 *                                                    them run on a local copy (test/fixtures/)
 *   <!-- examples: zsh: eval -->                     the lines starting so are zsh's, run by zsh
 *                                                    after compinit, as the example says
 * Nothing else is skipped.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS, type FakeProviders } from './fake-providers/server.mjs';
import { useE2e } from './helpers/e2e.js';
import { cleanEnv, llmoBin, repoRoot } from './helpers/run-llmo.js';

interface Example {
  file: string;
  line: number;
  command: string;
}

interface Block {
  file: string;
  line: number;
  /** Run by bash, in order, in one session. */
  run: Example[];
  /** Run by zsh, each on its own. */
  zsh: Example[];
}

const MARKER = /<!--\s*examples:\s*(terminal|set-up|network|zsh)(?::\s*([^>]*?))?\s*-->\s*$/;

/** The ```sh blocks of a file: the lines to run, and those the markdown marks as not runnable here. */
function blocksOf(file: string): { blocks: Block[]; skipped: Array<Example & { kind: string }> } {
  const lines = readFileSync(path.join(repoRoot, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  const skipped: Array<Example & { kind: string }> = [];
  for (let index = 0; index < lines.length; index += 1) {
    if (lines[index]!.trim() !== '```sh') continue;
    const marker = MARKER.exec(lines[index - 1] ?? '') ?? MARKER.exec(lines[index - 2] ?? '');
    const prefixes = marker?.[2]?.split(';').map((prefix) => prefix.trim());
    const block: Block = { file, line: index + 1, run: [], zsh: [] };
    for (index += 1; index < lines.length && lines[index]!.trim() !== '```'; index += 1) {
      const command = lines[index]!.trim();
      if (command === '' || command.startsWith('#')) continue;
      const example = { file, line: index + 1, command };
      const marked = marker && (!prefixes || prefixes.some((prefix) => command.startsWith(prefix)));
      if (!marked) block.run.push(example);
      else if (marker[1] === 'zsh') block.zsh.push(example);
      else skipped.push({ ...example, kind: marker[1]! });
    }
    blocks.push(block);
  }
  return { blocks, skipped };
}

/** An answer with two fenced code blocks, for the examples that extract one (`-x`, `--extract-last`). */
const CODE_ANSWER = 'The one-liner:\n\n```sh\ncat *.ts | wc -l\n```\n\nAnd its test:\n\n```sh\ntest "$(cat *.ts | wc -l)" -ge 0\n```\n';

/** The smallest valid PNG (one transparent pixel) and a one-page PDF: what `-a` reads by their first bytes. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF =
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';

const files = ['README.md', ...readdirSync(path.join(repoRoot, 'docs')).map((name) => `docs/${name}`)].filter((name) =>
  name.endsWith('.md'),
);
const found = files.map(blocksOf);
const blocks = found.flatMap((each) => each.blocks).filter((block) => block.run.length + block.zsh.length > 0);

const e2e = useE2e({ home: 'file' });
// The blocks read this file's fakes, home, work folder and environment by these names.
let fake: FakeProviders;
let home: string;
let work: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  ({ fake, home } = e2e);
  // The folder the examples run in: the files they read, and `llmo` on PATH.
  work = path.join(home, 'work');
  mkdirSync(path.join(work, 'chains'), { recursive: true });
  mkdirSync(path.join(work, 'src'));
  for (const name of ['notes.md', 'main.go', 'app.py', 'log.txt', 'README.md'])
    writeFileSync(path.join(work, name), `the text of ${name}\n`);
  writeFileSync(path.join(work, 'src', 'retry.ts'), 'export const retries = 3;\n');
  writeFileSync(path.join(work, 'src', 'main.ts'), "import { retries } from './retry.js';\nconsole.log(retries);\n");
  writeFileSync(path.join(work, '.gitignore'), 'dist/\n*.log\n');
  writeFileSync(path.join(work, 'screenshot.png'), PNG);
  writeFileSync(path.join(work, 'chart.png'), PNG);
  writeFileSync(path.join(work, 'report.pdf'), PDF);
  // What `curl -sLO …/model_prices_and_context_window.json` would have fetched: an excerpt of it.
  copyFileSync(
    path.join(repoRoot, 'test', 'fixtures', 'litellm-model-prices-excerpt.json'),
    path.join(work, 'model_prices_and_context_window.json'),
  );
  // The batch example starts the fake providers the way a reader of a checkout would.
  symlinkSync(path.join(repoRoot, 'test'), path.join(work, 'test'));
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
  // Where the examples' `mktemp -d`, `~/…` and node_exporter's textfile folder land: inside the home.
  for (const folder of ['tmp', 'user', 'textfile']) mkdirSync(path.join(home, folder));
  const filesystemServer = path.join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-filesystem', 'dist', 'index.js');
  // The README's `fs` server, started from the installed package rather than fetched by npx.
  writeFileSync(
    path.join(home, 'config.yaml'),
    `mcp:\n  servers:\n    fs: { command: "${process.execPath}", args: ["${filesystemServer}", "."], timeout_seconds: 30 }\n`,
  );
  // Not e2e.run: the examples run in bash, with `llmo` on PATH and a home directory of their own.
  env = cleanEnv(home, {
    ...e2e.env(),
    // Ollama ships configured for localhost:11434; here it is the fake OpenAI-compatible server.
    OLLAMA_BASE_URL: fake.baseURLs.openai,
    LMSTUDIO_BASE_URL: fake.baseURLs.openai,
    OPENROUTER_BASE_URL: fake.baseURLs.openai,
    OPENROUTER_API_KEY: 'test-openrouter-key',
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    HOME: path.join(home, 'user'),
    TMPDIR: path.join(home, 'tmp'),
    NODE_EXPORTER_TEXTFILE_DIR: path.join(home, 'textfile'),
  });
});

/** The ```yaml block of README.md that is a user's models.yaml. */
function readmeModelsYaml(): string {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const block = /```yaml\n(# [^\n]*models\.yaml[^\n]*\n[\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no models.yaml example');
  return block[1]!;
}

interface LineResult {
  example: Example;
  code: number | undefined;
}

/**
 * Runs a block's lines in one bash session; after each line its exit status goes to fd 3, so a
 * failure is reported by line. What the block started in the background is stopped at its end.
 */
function runBlock(examples: readonly Example[]): Promise<{ lines: LineResult[]; stderr: string }> {
  const script = [
    ...examples.map((example, index) => `${example.command}\nprintf '%s %s\\n' ${index} "$?" >&3`),
    'kill $(jobs -p) 2>/dev/null; wait',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', script], { cwd: work, env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let statuses = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8').on('data', (chunk: string) => (statuses += chunk));
    child.on('error', reject);
    child.on('close', () => {
      const codes = new Map(
        statuses
          .split('\n')
          .filter(Boolean)
          .map((line) => line.split(' ').map(Number) as [number, number]),
      );
      resolve({ lines: examples.map((example, index) => ({ example, code: codes.get(index) })), stderr });
    });
  });
}

function runZsh(example: Example): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const script = `autoload -Uz compinit && compinit -u && ${example.command}`;
    const child = spawn('zsh', ['-f', '-c', script], { cwd: work, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('the examples in README.md and docs/', () => {
  it('are found, and only the ones marked as needing a terminal, the network or the set-up itself are skipped', () => {
    expect(blocks.flatMap((block) => block.run).length).toBeGreaterThan(15);
    for (const { command, kind } of found.flatMap((each) => each.skipped)) {
      if (kind === 'network') expect(command).toMatch(/https:\/\//);
      // `chain new --describe` without --yes asks y/N on the terminal before it saves.
      else expect(command).toMatch(/^(llmo (chat|auth)|llmo chain new \S+ --describe (?!.*--yes)|eval "\$\(llmo auth|npm (ci|test))/);
    }
  });

  it.each(blocks.map((block) => [`${block.file}:${block.line}`, block] as const))('the block at %s runs', async (_, block) => {
    // The examples that extract a code block need an answer that has some.
    const extracts = block.run.some((example) => /llmo ask (-x|--extract)/.test(example.command));
    if (extracts) for (const provider of PROVIDERS) fake.setDefault(provider, { text: CODE_ANSWER });
    try {
      const { lines, stderr } = await runBlock(block.run);
      for (const { example, code } of lines) expect(code, `${example.file}:${example.line} ${example.command}\n${stderr}`).toBe(0);
      for (const example of block.zsh) {
        const result = await runZsh(example);
        expect(result.code, `${example.file}:${example.line} ${example.command}\n${result.stderr}`).toBe(0);
      }
    } finally {
      if (extracts) fake.reset();
    }
  });
});
