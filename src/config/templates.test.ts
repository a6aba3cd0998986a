import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../errors.js';
import { checkTemplateName, fillVariables, parseTemplate, variablesOf } from './templates.js';
import { parseYaml } from './yaml-file.js';

const parse = (text: string) => parseTemplate('t', parseYaml('t.yaml', text));

describe('parseTemplate', () => {
  it('reads every field, a schema as a mapping or a string, tools as a list or one name', () => {
    expect(
      parse('description: d\nsystem: s\nprompt: p\nmodel: sonnet\ntemperature: 0.5\nschema: { type: object }\ntools: [fs, "gh.*"]\n'),
    ).toEqual({
      name: 't',
      description: 'd',
      system: 's',
      prompt: 'p',
      model: 'sonnet',
      temperature: 0.5,
      schema: { type: 'object' },
      tools: ['fs', 'gh.*'],
    });
    expect(parse('prompt: p\nschema: "title, year int"\ntools: fs\n')).toMatchObject({ schema: 'title, year int', tools: ['fs'] });
  });

  it('refuses what is wrong at any depth with file, line and field (exit 3)', () => {
    const refused = (text: string, message: string) => {
      expect(() => parse(text)).toThrow(ConfigError);
      expect(() => parse(text)).toThrow(message);
    };
    refused('promt: hi\n', 't.yaml:1: promt: unknown field; did you mean prompt?');
    refused('prompt: [a]\n', 't.yaml:1: prompt: must be a string');
    refused('prompt: p\ntemperature: 3\n', 't.yaml:2: temperature: must be a number ≥ 0 and ≤ 2');
    refused('prompt: p\ntools: [fs, 3]\n', 't.yaml:2: tools[1]: must be MCP server names');
    refused('prompt: p\nschema: 12\n', 't.yaml:2: schema: expected a JSON Schema');
    refused('- a list\n', 't.yaml:1: expected a mapping of template fields');
  });
});

describe('template names and variables', () => {
  it('a name is one file name, never a path', () => {
    expect(() => checkTemplateName('extract_wisdom')).not.toThrow();
    for (const name of ['../x', 'a/b', '.hidden', 'a..b']) expect(() => checkTemplateName(name)).toThrow(UsageError);
  });

  it('lists variables in order of first use and fills each once', () => {
    expect(variablesOf('{{ lang }} {{input}} {{lang}} {{level-1}}')).toEqual(['lang', 'input', 'level-1']);
    expect(
      fillVariables(
        '{{a}} and {{ b }} and {{c}}',
        new Map([
          ['a', '{{b}}'],
          ['b', 'B'],
        ]),
      ),
    ).toBe('{{b}} and B and {{c}}');
  });
});
