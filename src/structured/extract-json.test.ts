import { describe, expect, it } from 'vitest';
import { extractJson } from './extract-json.js';

describe('extractJson', () => {
  it('reads a bare value', () => {
    expect(extractJson(' {"a": 1} \n')).toEqual({ ok: true, value: { a: 1 } });
    expect(extractJson('[1, 2]')).toEqual({ ok: true, value: [1, 2] });
  });

  it('reads a fenced code block, with or without a language', () => {
    expect(extractJson('Here you go:\n```json\n{"a": 1}\n```\nAnything else?')).toEqual({ ok: true, value: { a: 1 } });
    expect(extractJson('```\n{"b": true}\n```')).toEqual({ ok: true, value: { b: true } });
  });

  it('skips leading prose and a trailing comment', () => {
    expect(extractJson('Sure! The data is {"title": "a {curly} \\"quoted\\" title"} // as asked')).toEqual({
      ok: true,
      value: { title: 'a {curly} "quoted" title' },
    });
  });

  it('says why when there is nothing to read', () => {
    expect(extractJson('')).toEqual({ ok: false, problem: 'the reply is empty' });
    expect(extractJson('I cannot help with that.')).toEqual({ ok: false, problem: 'the reply holds no JSON object or array' });
    expect(extractJson('{"title": "cut off here')).toEqual({ ok: false, problem: 'the JSON in the reply is incomplete: it never closes' });
    const broken = extractJson('{"a": 1,}');
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.problem).toMatch(/^the reply is not valid JSON: /);
  });
});
