// config/chain.schema.json describes every chain llmo ships or documents, and catches the usual mistakes.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../config/paths.js';
import { parseYaml, type YamlFile } from '../config/yaml-file.js';
import { checkChainSchema } from './chain-schema.js';

const root = packageRoot();
const templatesDir = path.join(root, 'config', 'chain-templates');

async function problems(text: string, file = 'chain.yaml'): Promise<string[]> {
  const source = parseYaml(file, text);
  return (await checkChainSchema(source, [], source.value)).map((error) => error.message);
}

/** The ```yaml blocks of a markdown file, each parsed with its line in the file. */
function yamlBlocks(file: string): { line: number; source: YamlFile }[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: { line: number; source: YamlFile }[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    if (lines[index]!.trim() !== '```yaml') continue;
    const start = index + 1;
    for (index = start; index < lines.length && lines[index]!.trim() !== '```'; index += 1);
    blocks.push({ line: start + 1, source: parseYaml(`${file}:${start + 1}`, lines.slice(start, index).join('\n')) });
  }
  return blocks;
}

describe('config/chain.schema.json', () => {
  it.each(readdirSync(templatesDir).filter((name) => name.endsWith('.yaml')))('accepts the template %s', async (name) => {
    expect(await problems(readFileSync(path.join(templatesDir, name), 'utf8'), name)).toEqual([]);
  });

  it("accepts config/default.yaml's chains (a config.yaml is checked for its chains: only)", async () => {
    expect(await problems(readFileSync(path.join(root, 'config', 'default.yaml'), 'utf8'))).toEqual([]);
  });

  it("accepts every chain example in docs/chains.md (a list of steps is checked as a chain's steps)", async () => {
    const blocks = yamlBlocks(path.join(root, 'docs', 'chains.md'));
    expect(blocks.length).toBeGreaterThan(0);
    for (const { source } of blocks) {
      const value = source.value;
      const chain = Array.isArray(value) ? { steps: value } : value;
      const base = Array.isArray(value) ? ['steps'] : [];
      const found = (await checkChainSchema(source, [], chain)).map((error) => error.message);
      expect({ where: source.file, base, found }).toEqual({ where: source.file, base, found: [] });
    }
  });

  it('rejects an unknown key, naming the line and the fields it knows', async () => {
    const found = await problems('steps:\n  - name: a\n    model: sonnet\n    promt: "hi"\n');
    expect(found).toEqual([expect.stringMatching(/^chain\.yaml:4: steps\[0\]\.promt: unknown field; expected one of name, prompt, model/)]);
  });

  it('rejects a repeat without max_iterations', async () => {
    const found = await problems(
      'steps:\n  - name: loop\n    repeat:\n      until: "steps.a.output contains \'OK\'"\n      steps:\n        - { name: a, model: sonnet }\n',
    );
    expect(found).toEqual(['chain.yaml:3: steps[0].repeat: missing max_iterations']);
  });

  it('says what a block or a step is missing, in the words of the format', async () => {
    expect(await problems('steps:\n  - name: a\n    prompt: hi\n')).toEqual([
      'chain.yaml:2: steps[0]: a step needs a model (or a parallel: list of branches, or a block: repeat, switch, foreach)',
    ]);
    expect(await problems('steps:\n  - repeat: { max_iterations: 2, steps: [ { model: sonnet } ] }\n    model: sonnet\n')).toEqual([
      'chain.yaml:2: steps[0]: a block (repeat, switch, foreach) needs a name',
      'chain.yaml:2: steps[0]: a block (repeat, switch, foreach) has no model, parallel or prompt of its own: its inner steps do',
    ]);
    expect(await problems('steps:\n  - { name: p, parallel: [sonnet, gpt], merge: judge }\n')).toEqual([
      'chain.yaml:2: steps[0]: merge: judge needs merge_model:',
    ]);
    expect(await problems('steps:\n  - { name: p, parallel: [sonnet, gpt], merge: vote, merge_model: haiku }\n')).toEqual([
      'chain.yaml:2: steps[0].merge: merge_model and merge_prompt are for merge: judge',
    ]);
    expect(await problems('steps:\n  - { name: p, model: sonnet, on_error: fallback }\n')).toEqual([
      'chain.yaml:2: steps[0]: on_error: fallback needs fallback: models to try',
    ]);
    expect(await problems('steps:\n  - { name: p, model: sonnet, on_error: ignore }\n')).toEqual([
      'chain.yaml:2: steps[0].on_error: must be one of stop, skip, fallback',
    ]);
    expect(await problems('steps:\n  - name: f\n    foreach: { items: "input", lines: "input", steps: [ { model: sonnet } ] }\n')).toEqual([
      'chain.yaml:3: steps[0].foreach: foreach takes exactly one of items, lines or chunks',
    ]);
    expect(await problems('steps:\n  - name: 1st\n    model: sonnet\n')).toEqual([
      'chain.yaml:2: steps[0].name: must be letters, digits, - and _, starting with a letter; unique across the whole chain, inner steps included',
    ]);
  });

  it('checks a config chain at its place under chains:, and not the rest of config.yaml', async () => {
    const source = parseYaml(
      'config.yaml',
      'budgets: { daily_usd: 1 }\nchains:\n  one:\n    steps:\n      - { name: a, model: sonnet, temprature: 1 }\n',
    );
    const found = await checkChainSchema(source, ['chains', 'one'], (source.value as { chains: { one: unknown } }).chains.one);
    expect(found.map((error) => error.message)).toEqual([
      expect.stringMatching(/^config\.yaml:5: chains\.one\.steps\[0\]\.temprature: unknown field/),
    ]);
  });
});
