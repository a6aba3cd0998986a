/** Visits a schema and every subschema in it, with each one's JSON pointer. */
import type { JsonSchema } from '../providers/spec.js';

const SUBSCHEMA = [
  'additionalProperties',
  'items',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
];
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const SUBSCHEMA_MAPS = ['properties', '$defs', 'definitions', 'patternProperties', 'dependentSchemas'];

export function walkSchema(schema: unknown, visit: (node: JsonSchema, pointer: string) => void, pointer = ''): void {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return;
  const node = schema as JsonSchema;
  visit(node, pointer);
  for (const key of SUBSCHEMA) walkSchema(node[key], visit, `${pointer}/${key}`);
  for (const key of SUBSCHEMA_LISTS) {
    const list = node[key];
    if (!Array.isArray(list)) continue;
    for (const [index, entry] of list.entries()) walkSchema(entry, visit, `${pointer}/${key}/${index}`);
  }
  for (const key of SUBSCHEMA_MAPS) {
    const map = node[key];
    if (typeof map !== 'object' || map === null) continue;
    for (const [name, entry] of Object.entries(map)) walkSchema(entry, visit, `${pointer}/${key}/${escapePointer(name)}`);
  }
}

function escapePointer(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}
