/**
 * The concise schema form, for quick use on the command line, as simonw/llm spells it:
 *
 *   "name, age int, bio: a short biography"
 *
 * Fields are separated by commas, or by newlines when the text has any (then a description may
 * hold commas). Each field is `NAME [TYPE]` with an optional `: description`. Types: `str` (the
 * default), `int`, `float`, `bool`, and a list of any of them in brackets: `tags [str]`,
 * `scores [int]` (`[]` alone is a list of strings). Every field is required and no other field is
 * allowed, so the schema is one the vendors' strict modes accept as it is.
 */
import type { JsonSchema } from '../providers/spec.js';
import { ConfigError } from '../errors.js';

const TYPES: Record<string, string> = { str: 'string', int: 'integer', float: 'number', bool: 'boolean' };
const FIELD = /^([A-Za-z_][A-Za-z0-9_-]*)(?:\s+(.+))?$/;
const LIST = /^\[\s*([a-z]*)\s*\]$/;

export function parseConciseSchema(text: string): JsonSchema {
  const separator = text.includes('\n') ? '\n' : ',';
  const fields = text
    .split(separator)
    .map((field) => field.trim())
    .filter((field) => field !== '');
  if (fields.length === 0) throw conciseError(text, 'names no field');
  const properties: Record<string, JsonSchema> = {};
  for (const field of fields) {
    const colon = field.indexOf(':');
    const head = (colon < 0 ? field : field.slice(0, colon)).trim();
    const description = colon < 0 ? '' : field.slice(colon + 1).trim();
    const match = FIELD.exec(head);
    if (!match) throw conciseError(text, `"${field}" is not NAME [TYPE][: description]`);
    const [, name, type] = match;
    if (properties[name!]) throw conciseError(text, `field "${name}" is named twice`);
    properties[name!] = { ...typeSchema(text, type?.trim() ?? 'str'), ...(description ? { description } : {}) };
  }
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
}

/** `--schema-multi`: a list of such objects, under `items` (vendors want an object at the root). */
export function wrapMulti(schema: JsonSchema): JsonSchema {
  return { type: 'object', properties: { items: { type: 'array', items: schema } }, required: ['items'], additionalProperties: false };
}

function typeSchema(text: string, type: string): JsonSchema {
  const list = LIST.exec(type);
  if (list) return { type: 'array', items: typeSchema(text, list[1] || 'str') };
  const known = TYPES[type];
  if (known) return { type: known };
  throw conciseError(text, `unknown type "${type}"; types are str, int, float, bool, or a list such as [str]`);
}

function conciseError(text: string, problem: string): ConfigError {
  return new ConfigError(`schema "${text}": ${problem}`, {
    hint: 'the concise form is fields separated by commas: "name, age int, tags [str], bio: a description"',
  });
}
