/**
 * What each vendor's native structured output does with a schema, one pure function per concern,
 * for `llmo schema check`. Whatever a vendor drops is still checked: llmo validates every reply
 * against the user's own schema. Sources: peers-and-vendors.md §3.1 (OpenAI's strict-mode subset,
 * @anthropic-ai/sdk's transform-json-schema, Gemini's responseJsonSchema subset, DeepSeek's json_object).
 */
import type { JsonSchema } from '../providers/spec.js';
import { walkSchema } from './walk-schema.js';

export interface SchemaNote {
  /** JSON pointer of the subschema (`` for the root). */
  pointer: string;
  note: string;
}

/** Keywords that only annotate: no vendor's treatment of them changes what is valid. */
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$comment',
  'title',
  'description',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

const OPENAI_FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);
const OPENAI_UNSUPPORTED = [
  'minLength',
  'maxLength',
  'patternProperties',
  'unevaluatedProperties',
  'propertyNames',
  'minProperties',
  'maxProperties',
  'unevaluatedItems',
  'contains',
  'minContains',
  'maxContains',
  'uniqueItems',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'dependentRequired',
  'dependentSchemas',
];

/**
 * Why OpenAI's strict mode cannot take the schema as it is (empty: it can). Without strict mode
 * the model is asked for the schema but not held to it.
 */
export function openaiStrictProblems(schema: JsonSchema): SchemaNote[] {
  const notes: SchemaNote[] = [];
  if (schema.type !== 'object') notes.push({ pointer: '', note: 'the root must be an object (type: object)' });
  walkSchema(schema, (node, pointer) => {
    const isObject = node.type === 'object' || node.properties !== undefined;
    if (isObject && node.additionalProperties !== false) notes.push({ pointer, note: 'objects need additionalProperties: false' });
    if (isObject && typeof node.properties === 'object' && node.properties !== null) {
      const required = new Set(Array.isArray(node.required) ? node.required : []);
      const optional = Object.keys(node.properties).filter((name) => !required.has(name));
      if (optional.length) notes.push({ pointer, note: `every property must be required (not: ${optional.join(', ')})` });
    }
    for (const keyword of OPENAI_UNSUPPORTED) if (keyword in node) notes.push({ pointer, note: `${keyword} is not supported` });
    if (typeof node.format === 'string' && !OPENAI_FORMATS.has(node.format))
      notes.push({ pointer, note: `format "${node.format}" is not supported` });
  });
  return notes;
}

const ANTHROPIC_FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'uri', 'ipv4', 'ipv6', 'uuid']);
const ANTHROPIC_KEPT = new Set([
  '$defs',
  '$ref',
  'enum',
  'const',
  'type',
  'anyOf',
  'oneOf',
  'allOf',
  'properties',
  'additionalProperties',
  'required',
  'items',
  'format',
  'minItems',
]);

/**
 * What Anthropic's structured outputs do not enforce: the SDK's transform moves these constraints
 * into the description (the model reads them; the server does not hold it to them) and makes
 * every object closed.
 */
export function anthropicUnenforced(schema: JsonSchema): SchemaNote[] {
  const notes: SchemaNote[] = [];
  if (schema.type !== 'object')
    notes.push({ pointer: '', note: 'the root must be an object (type: object); llmo falls back to a forced tool' });
  walkSchema(schema, (node, pointer) => {
    const moved = Object.keys(node).filter((keyword) => !ANTHROPIC_KEPT.has(keyword) && !ANNOTATIONS.has(keyword));
    if (typeof node.format === 'string' && !ANTHROPIC_FORMATS.has(node.format)) moved.push(`format "${node.format}"`);
    if (typeof node.minItems === 'number' && node.minItems > 1) moved.push(`minItems ${node.minItems}`);
    if (moved.length) notes.push({ pointer, note: `moved into the description, not enforced: ${moved.join(', ')}` });
    if (
      (node.type === 'object' || node.properties !== undefined) &&
      node.additionalProperties !== undefined &&
      node.additionalProperties !== false
    ) {
      notes.push({ pointer, note: 'additionalProperties becomes false: no other property will be produced' });
    }
  });
  return notes;
}

const GEMINI_SUPPORTED = new Set([
  '$id',
  '$defs',
  '$ref',
  '$anchor',
  'type',
  'format',
  'title',
  'description',
  'enum',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  'anyOf',
  'oneOf',
  'properties',
  'additionalProperties',
  'required',
  'propertyOrdering',
]);

/** Keywords outside the subset Gemini's responseJsonSchema understands: ignored by the model's decoder. */
export function geminiUnsupported(schema: JsonSchema): SchemaNote[] {
  const notes: SchemaNote[] = [];
  walkSchema(schema, (node, pointer) => {
    const ignored = Object.keys(node).filter((keyword) => !GEMINI_SUPPORTED.has(keyword) && !ANNOTATIONS.has(keyword));
    if (ignored.length) notes.push({ pointer, note: `ignored: ${ignored.join(', ')}` });
  });
  return notes;
}

/** DeepSeek knows only "some JSON" (json_object): the schema travels in the prompt, unenforced. */
export function deepseekUnenforced(_schema: JsonSchema): SchemaNote[] {
  return [{ pointer: '', note: 'only json_object mode: the schema is sent in the prompt and nothing of it is enforced' }];
}

/** Every vendor's notes, for `llmo schema check`. */
export function vendorNotes(schema: JsonSchema): Array<{ vendor: string; summary: string; notes: SchemaNote[] }> {
  const strict = openaiStrictProblems(schema);
  return [
    {
      vendor: 'openai',
      summary: strict.length
        ? 'json_schema without strict: the model is asked, not held, to follow it'
        : 'json_schema, strict: enforced as written',
      notes: strict,
    },
    { vendor: 'anthropic', summary: 'output_config.format (json_schema)', notes: anthropicUnenforced(schema) },
    { vendor: 'gemini', summary: 'responseJsonSchema', notes: geminiUnsupported(schema) },
    { vendor: 'mistral', summary: 'json_schema', notes: [] },
    { vendor: 'deepseek', summary: 'json_object, schema in the prompt', notes: deepseekUnenforced(schema) },
  ];
}
