import { describe, expect, it } from 'vitest';
import { parseConciseSchema } from './concise-schema.js';
import { anthropicUnenforced, geminiUnsupported, openaiStrictProblems } from './vendor-limits.js';

const loose = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 2 },
    age: { type: 'integer', minimum: 0 },
    tags: { type: 'array', items: { type: 'string' }, minItems: 3, uniqueItems: true },
  },
  required: ['name'],
};

describe('what each vendor drops', () => {
  it('the concise form suits OpenAI strict mode as it is', () => {
    expect(openaiStrictProblems(parseConciseSchema('name, age int, tags [str]'))).toEqual([]);
  });

  it('OpenAI strict mode: closed objects, every property required, a subset of keywords', () => {
    expect(openaiStrictProblems(loose).map((note) => `${note.pointer}: ${note.note}`)).toEqual([
      ': objects need additionalProperties: false',
      ': every property must be required (not: age, tags)',
      '/properties/name: minLength is not supported',
      '/properties/tags: uniqueItems is not supported',
    ]);
  });

  it('Anthropic moves unsupported constraints into the description', () => {
    expect(anthropicUnenforced(loose).map((note) => `${note.pointer}: ${note.note}`)).toEqual([
      '/properties/name: moved into the description, not enforced: minLength',
      '/properties/age: moved into the description, not enforced: minimum',
      '/properties/tags: moved into the description, not enforced: uniqueItems, minItems 3',
    ]);
  });

  it('Gemini ignores keywords outside its subset', () => {
    expect(geminiUnsupported(loose).map((note) => `${note.pointer}: ${note.note}`)).toEqual([
      '/properties/name: ignored: minLength',
      '/properties/tags: ignored: uniqueItems',
    ]);
  });
});
