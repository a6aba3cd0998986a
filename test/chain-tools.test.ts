// `llmo chain lint`, `chain templates`, `chain new --from | --describe` and the user's chains
// directory, end to end: the built CLI against the fake providers, in a throwaway LLMO_HOME.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FakeProviders } from './fake-providers/server.mjs';
import { cleanEnv, llmoBin, repoRoot, runLlmo } from './helpers/run-llmo.js';
import { useE2e } from './helpers/e2e.js';
import { waitUntil } from './helpers/wait-until.js';

const e2e = useE2e();
// The tests read this test's fakes and home by these names.
let fake: FakeProviders;
let home: string;

const run = (args: string[], options: { input?: string } = {}) => e2e.run(args, { input: options.input });

const templates = readdirSync(path.join(repoRoot, 'config', 'chain-templates'))
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => name.slice(0, -'.yaml'.length));

beforeEach(() => {
  ({ fake, home } = e2e);
});

describe('llmo chain templates and chain new --from', () => {
  it('lists every shipped template with its description', async () => {
    const result = await run(['chain', 'templates']);
    expect(result.code).toBe(0);
    const names = result.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/)[0]);
    expect(names).toEqual(templates);
    for (const name of [
      'triage',
      'review-code',
      'research',
      'refine-until-approved',
      'debate',
      'map-reduce-summarise',
      'translate-and-check',
      'extract-then-validate',
    ])
      expect(names).toContain(name);
    expect(result.stdout).toMatch(/^debate\s+Two models argue/m);
  });

  it.each(templates)('the template %s passes lint and runs in --dry-run without a key', async (name) => {
    const created = await run(['chain', 'new', `my-${name}`, '--from', name]);
    expect(created.stderr).toContain(`chains/my-${name}.yaml`);
    expect(created.code).toBe(0);
    const lint = await run(['chain', 'lint', `my-${name}`]);
    expect(lint.stderr).toBe('');
    expect(lint.stdout).toMatch(new RegExp(`^ok: my-${name} \\(\\d+ steps?\\)\\n$`));
    const dry = await runLlmo(['chain', 'run', `my-${name}`, '--dry-run', 'some input'], { home });
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`chain my-${name}`);
    expect(fake.requests).toEqual([]);
  });

  it('a copied template runs: triage routes by its judge, two requests in all', async () => {
    expect((await run(['chain', 'new', 'triage', '--from', 'triage'])).code).toBe(0);
    fake.enqueue('anthropic', { text: 'Feature.' }, { text: 'SPEC: dark mode' });
    const result = await run(['chain', 'run', 'triage', '--quiet', 'please add a dark mode']);
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, stdout: 'SPEC: dark mode\n' });
    expect(fake.requests).toHaveLength(2);
    expect(JSON.stringify(fake.requests[1]!.body)).toContain('Turn this request into a short spec');
  });

  it('writes to the chains directory, where run, show, list and completion find it; never overwrites without --force', async () => {
    const file = path.join(home, 'chains', 'mine.yaml');
    expect((await run(['chain', 'new', 'mine', '--from', 'review-code'])).code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${path.join(repoRoot, 'config', 'chain.schema.json')}`);
    expect(text).toContain('# Review code, then rewrite it');

    writeFileSync(file, text.replace('Review this code', 'Review my code'));
    const again = await run(['chain', 'new', 'mine', '--from', 'debate']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists already');
    expect(readFileSync(file, 'utf8')).toContain('Review my code');
    expect((await run(['chain', 'new', 'mine', '--from', 'debate', '--force'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('argue');

    const elsewhere = path.join(home, 'elsewhere.yaml');
    expect((await run(['chain', 'new', 'other', '--from', 'research', '-o', elsewhere])).code).toBe(0);
    expect(existsSync(elsewhere)).toBe(true);
    expect(existsSync(path.join(home, 'chains', 'other.yaml'))).toBe(false);

    const list = await run(['chain', 'list']);
    expect(list.stdout).toMatch(/^mine\s+Two models argue/m);
    expect((await run(['chain', 'show', 'mine'])).stdout).toContain('chain mine');
    const completion = await run(['__complete', '3', 'llmo', 'chain', 'run', 'mi']);
    expect(completion.stdout.split('\n')).toContain('mine');
  });

  it('refuses an unknown template with the closest names (exit 3) and a bad chain name (exit 2)', async () => {
    const unknown = await run(['chain', 'new', 'x', '--from', 'reveiw-code']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('did you mean review-code');
    expect((await run(['chain', 'new', '../x', '--from', 'review-code'])).code).toBe(2);
    expect((await run(['chain', 'new', 'x'])).code).toBe(2);
  });
});

describe('llmo chain lint', () => {
  it('prints every mistake the schema finds, one line each with file:line, and exits 3', async () => {
    const file = path.join(home, 'bad.yaml');
    writeFileSync(
      file,
      'steps:\n  - name: a\n    model: sonnet\n    promt: x\n  - name: loop\n    repeat:\n      steps: [ { name: b, model: sonnet } ]\n',
    );
    const result = await run(['chain', 'lint', file]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^llmo: ${file}:4: steps\\[0\\]\\.promt: unknown field; expected one of name, prompt,`)),
      `llmo: ${file}:6: steps[1].repeat: missing max_iterations`,
    ]);
  });

  it('checks models, roles and references as chain run does, without a key', async () => {
    const file = path.join(home, 'models.yaml.chain');
    writeFileSync(file, 'steps:\n  - name: a\n    model: sonet\n');
    const result = await runLlmo(['chain', 'lint', file], { home });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${file}:3: steps[0].model:`);
    expect(result.stderr).toContain('sonnet');
  });

  it('shows a caret under the mistake of an inline chain', async () => {
    const result = await run(['chain', 'lint', 'summarize(gemini) -> critique(sonnet']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('  summarize(gemini) -> critique(sonnet\n');
    expect(result.stderr).toMatch(/\n +\^\n/);
  });

  it('shows a caret under the mistake inside an expression, at its file:line', async () => {
    const file = path.join(home, 'when.yaml');
    writeFileSync(
      file,
      'steps:\n  - { name: a, model: sonnet }\n  - name: b\n    model: sonnet\n    when: "steps.a.output contians \'x\'"\n',
    );
    const result = await run(['chain', 'lint', file]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`llmo: ${file}:5: steps[1].when:`);
    expect(result.stderr).toContain("  steps.a.output contians 'x'\n                 ^^^^^^^^\n");
  });

  it("says ok for config's chains", async () => {
    const result = await run(['chain', 'lint', 'second-opinion']);
    expect(result).toMatchObject({ code: 0, stdout: 'ok: second-opinion (2 steps)\n', stderr: '' });
  });
});

describe('llmo chain new --describe', () => {
  const broken =
    '```yaml\ndescription: Review SQL then rewrite it\nsteps:\n  - name: review\n    model: sonnet\n    promt: "Review:\\n{{input}}"\n```\n';
  const fixed =
    'Here it is:\n```yaml\ndescription: Review SQL then rewrite it\nsteps:\n  - name: review\n    model: sonnet\n    prompt: "Review:\\n{{input}}"\n  - name: rewrite\n    model: sonnet\n    prompt: "Rewrite {{input}} using {{steps.review.output}}"\n```\n';

  it('sends the lint errors back once, then saves a chain that passes lint (--yes); two requests, both logged', async () => {
    fake.enqueue('openai', { text: broken }, { text: fixed });
    const result = await run(['chain', 'new', 'sql', '--describe', 'review my SQL, then rewrite it', '-m', 'openai:gpt-4o-mini', '--yes']);
    expect(result.code).toBe(0);
    expect(fake.requestsFor('openai')).toHaveLength(2);
    const repairPrompt = JSON.stringify(fake.requests[1]!.body);
    expect(repairPrompt).toContain('sql.yaml:5: steps[0].promt: unknown field');
    expect(repairPrompt).not.toContain(home);
    // The dry-run plan goes to stderr before saving.
    expect(result.stderr).toContain('chain sql');
    expect(result.stderr).toContain('2. rewrite');
    const file = path.join(home, 'chains', 'sql.yaml');
    expect(readFileSync(file, 'utf8')).toContain('# Written by llmo chain new from: review my SQL, then rewrite it');
    expect(await run(['chain', 'lint', 'sql'])).toMatchObject({ code: 0, stdout: 'ok: sql (2 steps)\n' });
    const usage = await run(['usage', '--json']);
    expect(usage.code).toBe(0);
    const { totals } = JSON.parse(usage.stdout);
    expect(totals.calls).toBe(2);
    expect(totals.cost_usd).toBeGreaterThan(0);
  });

  it('without a terminal and without --yes: prints the YAML, saves nothing, exits 2', async () => {
    fake.enqueue('openai', { text: fixed });
    const result = await run(['chain', 'new', 'sql', '--describe', 'review my SQL', '-m', 'openai:gpt-4o-mini']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('add --yes');
    expect(result.stdout).toContain('name: rewrite');
    expect(existsSync(path.join(home, 'chains', 'sql.yaml'))).toBe(false);
  });

  it('gives up after --repair N with the last YAML on stdout (exit 3)', async () => {
    fake.enqueue('openai', { text: broken }, { text: broken });
    const result = await run(['chain', 'new', 'sql', '--describe', 'x', '-m', 'openai:gpt-4o-mini', '--repair', '1', '--yes']);
    expect(result.code).toBe(3);
    expect(fake.requestsFor('openai')).toHaveLength(2);
    expect(result.stderr).toContain('after 1 repair; not saved');
    expect(result.stdout).toContain('promt:');
    expect(existsSync(path.join(home, 'chains', 'sql.yaml'))).toBe(false);
  });

  it.skipIf(spawnSync('tmux', ['-V']).status !== 0)('on a terminal, saves only when the user answers y', async () => {
    fake.enqueue('openai', { text: fixed }, { text: fixed });
    // A socket in the throwaway home: nothing is left behind in /tmp.
    const socket = path.join(home, 'tmux.sock');
    const tmux = (...args: string[]) => execFileSync('tmux', ['-S', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
    const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;
    const env = cleanEnv(home, e2e.env({ TERM: 'xterm-256color' }));
    const launcher = path.join(home, 'llmo.sh');
    const assignments = Object.entries(env).map(([name, value]) => `${name}=${quote(value!)}`);
    writeFileSync(launcher, `#!/bin/sh\nexec env -i ${assignments.join(' ')} ${quote(process.execPath)} ${quote(llmoBin)} "$@"\n`, {
      mode: 0o700,
    });
    const answer = async (name: string, reply: string) => {
      const command = [launcher, 'chain', 'new', name, '--describe', 'review my SQL', '-m', 'openai:gpt-4o-mini'].map(quote).join(' ');
      tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '40', command, ';', 'set-option', '-t', name, 'remain-on-exit', 'on');
      await waitUntil(() => tmux('capture-pane', '-p', '-t', name).includes('[y/N]'), 'the question');
      tmux('send-keys', '-t', name, reply, 'Enter');
      await waitUntil(() => tmux('display-message', '-p', '-t', name, '#{pane_dead}').trim() === '1', 'llmo to exit');
      return tmux('capture-pane', '-p', '-t', name);
    };
    try {
      expect(await answer('declined', 'n')).toContain('not saved');
      expect(existsSync(path.join(home, 'chains', 'declined.yaml'))).toBe(false);
      await answer('accepted', 'y');
      expect(readFileSync(path.join(home, 'chains', 'accepted.yaml'), 'utf8')).toContain('name: rewrite');
    } finally {
      spawnSync('tmux', ['-S', socket, 'kill-server']);
    }
  });

  it('refuses to overwrite before asking anything', async () => {
    writeFileSync(path.join(home, 'taken.yaml'), 'steps: []\n');
    const result = await run(['chain', 'new', 'x', '--describe', 'x', '-m', 'openai:gpt-4o-mini', '-o', path.join(home, 'taken.yaml')]);
    expect(result.code).toBe(2);
    expect(fake.requests).toEqual([]);
  });
});
