import { describe, expect, it } from 'vitest';
import { isStrictJsonSchema } from './is-strict-json-schema.js';
import { readRecording } from './openai-recordings.test-support.js';

const closed = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };

describe('isStrictJsonSchema', () => {
  it('takes the schema OpenAI accepted in strict mode (nonstream_json_schema, with $defs)', () => {
    const meta = JSON.parse(readRecording('openai', 'nonstream_json_schema.meta.json'));
    expect(isStrictJsonSchema(meta.request.body.response_format.json_schema.schema)).toBe(true);
  });

  it('refuses an object that is open or leaves a property optional, at any depth', () => {
    expect(isStrictJsonSchema(closed)).toBe(true);
    expect(isStrictJsonSchema({ ...closed, additionalProperties: true })).toBe(false);
    expect(isStrictJsonSchema({ ...closed, required: [] })).toBe(false);
    expect(isStrictJsonSchema({ type: 'array', items: { ...closed, additionalProperties: undefined } })).toBe(false);
    expect(isStrictJsonSchema({ anyOf: [closed, { type: 'object', properties: {} }] })).toBe(false);
    expect(isStrictJsonSchema({ ...closed, $defs: { inner: { type: 'object', properties: { b: {} } } } })).toBe(false);
  });

  it('has nothing to say about schemas without objects', () => {
    expect(isStrictJsonSchema({ type: 'string' })).toBe(true);
  });
});
