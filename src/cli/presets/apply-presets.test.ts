import { describe, expect, it } from 'vitest';
import { fillTemplatePrompt } from './apply-presets.js';
import { joinParamPairs } from './join-param-pairs.js';

describe('joinParamPairs', () => {
  it('makes -p NAME VALUE one --param NAME=VALUE, and leaves -p NAME=VALUE and what follows -- alone', () => {
    expect(joinParamPairs(['ask', '-t', 'x', '-p', 'lang', 'Go', '--param', 'level', 'a b', 'q'])).toEqual([
      'ask',
      '-t',
      'x',
      '--param',
      'lang=Go',
      '--param',
      'level=a b',
      'q',
    ]);
    expect(joinParamPairs(['ask', '-p', 'lang=Go', 'q'])).toEqual(['ask', '-p', 'lang=Go', 'q']);
    expect(joinParamPairs(['ask', '--', '-p', 'a', 'b'])).toEqual(['ask', '--', '-p', 'a', 'b']);
    // A value may hold = and start with a dash; a -p missing its value is left for commander to refuse.
    expect(joinParamPairs(['chat', '-p', 'rule', 'a=b'])).toEqual(['chat', '--param', 'rule=a=b']);
    expect(joinParamPairs(['--profile', 'work', 'ask', '-p', 'a', 'b'])).toEqual(['--profile', 'work', 'ask', '--param', 'a=b']);
    // Another command's -p (none has one yet) is its own business.
    expect(joinParamPairs(['batch', 'run', '-p', 'a', 'b'])).toEqual(['batch', 'run', '-p', 'a', 'b']);
    expect(joinParamPairs(['ask', '-p', 'lang'])).toEqual(['ask', '-p', 'lang']);
  });
});

describe('fillTemplatePrompt', () => {
  const params = new Map([['lang', 'Go']]);
  it('puts the input where {{input}} is, else after the prompt', () => {
    expect(fillTemplatePrompt({ name: 't', prompt: 'Explain {{lang}}: {{input}}.' }, 'x := 1', params)).toBe('Explain Go: x := 1.');
    expect(fillTemplatePrompt({ name: 't', prompt: 'Explain {{lang}}.' }, 'x := 1', params)).toBe('Explain Go.\n\nx := 1');
    expect(fillTemplatePrompt({ name: 't', prompt: 'Explain {{lang}}.' }, '', params)).toBe('Explain Go.');
    expect(fillTemplatePrompt({ name: 't' }, 'as typed', params)).toBe('as typed');
  });

  it('fills a value in once: braces in the input stay as typed', () => {
    expect(fillTemplatePrompt({ name: 't', prompt: '{{input}} in {{lang}}' }, 'echo {{lang}}', params)).toBe('echo {{lang}} in Go');
  });
});
