import type { JsonSchema } from '../spec.js';

/** Keywords whose value is one subschema. */
const SUBSCHEMA_KEYWORDS = ['items', 'additionalProperties', 'not', 'contains', 'if', 'then', 'else'];
/** Keywords whose value is a list of subschemas. */
const SUBSCHEMA_LIST_KEYWORDS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
/** Keywords whose value maps names to subschemas. */
const SUBSCHEMA_MAP_KEYWORDS = ['properties', '$defs', 'definitions', 'patternProperties'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Whether OpenAI's strict mode can take a schema as it is: every object closes itself
 * (`additionalProperties: false`) and requires all its properties. Strict mode rejects any other
 * schema with a 400 (`error_400_invalid_function_parameters`), so such schemas go out non-strict.
 */
export function isStrictJsonSchema(schema: JsonSchema): boolean {
  return isStrictNode(schema);
}

function isStrictNode(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(isStrictNode);
  if (!isRecord(node)) return true;
  const types = Array.isArray(node.type) ? node.type : [node.type];
  if (types.includes('object') || isRecord(node.properties)) {
    if (node.additionalProperties !== false) return false;
    const properties = isRecord(node.properties) ? Object.keys(node.properties) : [];
    const required = Array.isArray(node.required) ? node.required : [];
    if (!properties.every((name) => required.includes(name))) return false;
  }
  for (const keyword of SUBSCHEMA_KEYWORDS) if (keyword in node && !isStrictNode(node[keyword])) return false;
  for (const keyword of SUBSCHEMA_LIST_KEYWORDS) if (keyword in node && !isStrictNode(node[keyword])) return false;
  for (const keyword of SUBSCHEMA_MAP_KEYWORDS) {
    const map = node[keyword];
    if (isRecord(map) && !Object.values(map).every(isStrictNode)) return false;
  }
  return true;
}
