import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { parseConciseSchema, wrapMulti } from './concise-schema.js';

describe('parseConciseSchema', () => {
  it('reads comma-separated fields, str by default, every field required and no other allowed', () => {
    expect(parseConciseSchema('name, age int, tags: list of short labels')).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string' },
        age: { type: 'integer' },
        tags: { type: 'string', description: 'list of short labels' },
      },
      required: ['name', 'age', 'tags'],
      additionalProperties: false,
    });
  });

  it('reads newline-separated fields, whose descriptions may hold commas', () => {
    const schema = parseConciseSchema('title: the headline, as printed\nscore float\nok bool: true, or false\n');
    expect(schema.properties).toEqual({
      title: { type: 'string', description: 'the headline, as printed' },
      score: { type: 'number' },
      ok: { type: 'boolean', description: 'true, or false' },
    });
  });

  it('spells lists with brackets', () => {
    expect(parseConciseSchema('tags [str], scores [int]: one per round, notes []').properties).toEqual({
      tags: { type: 'array', items: { type: 'string' } },
      scores: { type: 'array', items: { type: 'integer' }, description: 'one per round' },
      notes: { type: 'array', items: { type: 'string' } },
    });
  });

  it('says what is wrong with a field, as a configuration error', () => {
    expect(() => parseConciseSchema('name, age integer')).toThrow(ConfigError);
    expect(() => parseConciseSchema('name, age integer')).toThrow(/unknown type "integer"; types are str, int, float, bool/);
    expect(() => parseConciseSchema('name, name int')).toThrow(/named twice/);
    expect(() => parseConciseSchema(' , ')).toThrow(/names no field/);
    expect(() => parseConciseSchema('1st')).toThrow(/is not NAME \[TYPE\]/);
  });
});

describe('wrapMulti', () => {
  it('asks for a list of such objects under items', () => {
    const one = parseConciseSchema('name');
    expect(wrapMulti(one)).toEqual({
      type: 'object',
      properties: { items: { type: 'array', items: one } },
      required: ['items'],
      additionalProperties: false,
    });
  });
});
