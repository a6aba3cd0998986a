/**
 * `llmo completion bash|zsh|fish` in the real shells: each script, sourced as a user would, asks
 * the built `llmo __complete` and offers models, aliases, flags, commands, roles, chains,
 * conversation ids, templates, modes and profiles. A shell that is not installed is skipped with the reason.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, llmoBin, makeHome, removeHome, runLlmo } from './helpers/run-llmo.js';

let home: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  home = makeHome();
  // `llmo` on PATH, as an installed one would be.
  const bin = path.join(home, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'llmo'), `#!/bin/sh\nexec "${process.execPath}" "${llmoBin}" "$@"\n`);
  chmodSync(path.join(bin, 'llmo'), 0o755);
  const conversations = path.join(home, 'conversations');
  mkdirSync(conversations, { recursive: true });
  writeFileSync(path.join(conversations, '20261206-120000-abcd.json'), '{}');
  mkdirSync(path.join(home, 'templates'));
  writeFileSync(
    path.join(home, 'templates', 'summarize.yaml'),
    'system: "Write for {{audience}}."\nprompt: "Summarise in {{length}}: {{input}}"\n',
  );
  // A profile of its own templates: completing after --profile work offers those.
  mkdirSync(path.join(home, 'profiles', 'work', 'templates'), { recursive: true });
  writeFileSync(path.join(home, 'profiles', 'work', 'templates', 'standup.yaml'), 'prompt: "Standup notes: {{input}}"\n');
  // HOME and ZDOTDIR in the temporary home, so no shell writes its history or caches anywhere else.
  env = cleanEnv(home, {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: home,
    ZDOTDIR: home,
    XDG_DATA_HOME: path.join(home, 'xdg'),
    XDG_CONFIG_HOME: path.join(home, 'xdg'),
  });
});

afterAll(() => removeHome(home));

const has = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0;
const run = (shell: string, args: string[]) => {
  const result = spawnSync(shell, args, { env, cwd: home, encoding: 'utf8', timeout: 60_000 });
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').filter((line) => line !== '');
};

/** Each shell's way to ask its completion for a command line, without a terminal. */
const SHELLS = {
  // The completion function itself, with the words bash would give it.
  bash: (line: string[]) =>
    run('bash', [
      '--norc',
      '--noprofile',
      '-c',
      `source <(llmo completion bash); COMP_WORDS=(${line.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${line.length - 1}; _llmo_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ]),
  // zsh's completion widgets need a line editor; the script's function runs with compadd printing what it was given.
  zsh: (line: string[]) =>
    run('zsh', [
      '-f',
      '-c',
      `autoload -U compinit && compinit -u -d "$HOME/.zcompdump"; eval "$(llmo completion zsh)"; compadd() { print -l -- "\${@[3,-1]}" }; _files() { print _files }; words=(${line.map((word) => `'${word}'`).join(' ')}); CURRENT=${line.length}; _llmo`,
    ]),
  // fish completes a command line on request: complete -C.
  fish: (line: string[]) =>
    run('fish', ['--no-config', '-c', `llmo completion fish | source; complete -C '${line.join(' ')}'`]).map(
      (entry) => entry.split('\t')[0]!,
    ),
};

for (const [shell, complete] of Object.entries(SHELLS)) {
  describe.skipIf(!has(shell))(`llmo completion ${shell}`, () => {
    it('offers sonnet for llmo ask -m so', () => {
      expect(complete(['llmo', 'ask', '-m', 'so'])).toContain('sonnet');
    });

    it('offers commands and flags', () => {
      expect(complete(['llmo', 'co'])).toEqual(['completion', 'config', 'conversations']);
      expect(complete(['llmo', 'ask', '--extract'])).toEqual(['--extract', '--extract-last']);
    });

    it('offers roles, chains and conversation ids', () => {
      expect(complete(['llmo', 'ask', '--role', 'crit'])).toEqual(['critique']);
      expect(complete(['llmo', 'chain', 'run', 'review'])).toEqual(['review-code']);
      expect(complete(['llmo', 'conversations', 'show', '2026'])).toEqual(['20261206-120000-abcd']);
    });

    it('offers templates, modes and profiles', () => {
      expect(complete(['llmo', 'ask', '-t', 'sum'])).toEqual(['summarize']);
      expect(complete(['llmo', 'templates', 'show', 's'])).toEqual(['summarize']);
      expect(complete(['llmo', 'ask', '--mode', 'de'])).toEqual(['debug']);
      expect(complete(['llmo', 'ask', '--mode', 'r'])).toEqual(['research']);
      expect(complete(['llmo', '--profile', 'w'])).toEqual(['work']);
      expect(complete(['llmo', 'profile', 'remove', 'w'])).toEqual(['work']);
      expect(complete(['llmo', '--profile', 'work', 'ask', '-t', 's'])).toEqual(['standup']);
      expect(complete(['llmo', 'ask', '-t', 'summarize', '-p', ''])).toEqual(['audience', 'length']);
    });
  });
  if (!has(shell)) {
    it.skip(`llmo completion ${shell}: skipped, ${shell} is not installed (apt-get install ${shell}; .ci/run installs it)`, () => {});
  }
}

describe('llmo completion', () => {
  it('refuses a shell it has no script for (exit 2)', async () => {
    const result = await runLlmo(['completion', 'tcsh'], { home });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no completion for "tcsh"; choose one of bash, zsh, fish');
  });
});
