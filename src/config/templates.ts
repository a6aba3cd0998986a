/**
 * Prompt templates: `<config dir>/templates/NAME.yaml`, one file each, read when `-t NAME` or
 * `llmo templates` asks for one. Every field is checked (an unknown key is refused with the
 * closest known one), so a typo in a template never silently drops its schema or model.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, UsageError } from '../errors.js';
import { fieldError, isRecord, readYamlFile, rejectUnknownKeys, type YamlFile } from './yaml-file.js';

export interface Template {
  name: string;
  description?: string | undefined;
  system?: string | undefined;
  /** The prompt; `{{input}}` is the prompt given on the command line (else it is added at the end). */
  prompt?: string | undefined;
  model?: string | undefined;
  temperature?: number | undefined;
  /** Anything --schema takes (a name, a file, inline JSON, the concise form), or a JSON Schema. */
  schema?: string | Record<string, unknown> | undefined;
  tools?: string[] | undefined;
}

export const TEMPLATE_FIELDS = ['description', 'system', 'prompt', 'model', 'temperature', 'schema', 'tools'] as const;
const TEMPLATE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function checkTemplateName(name: string): void {
  if (!TEMPLATE_NAME.test(name) || name.includes('..')) {
    throw new UsageError(`"${name}" is not a template name`, {
      hint: 'use letters, digits, _, - and . (starting with a letter or digit), at most 64 characters',
    });
  }
}

export function templateFile(templatesDir: string, name: string): string {
  checkTemplateName(name);
  return path.join(templatesDir, `${name}.yaml`);
}

/** The names of the saved templates, sorted; none when the folder does not exist. */
export function templateNames(templatesDir: string): string[] {
  try {
    return readdirSync(templatesDir)
      .filter((file) => file.endsWith('.yaml') && TEMPLATE_NAME.test(file.slice(0, -'.yaml'.length)))
      .map((file) => file.slice(0, -'.yaml'.length))
      .sort();
  } catch {
    return [];
  }
}

export function readTemplate(templatesDir: string, name: string): Template {
  const source = readYamlFile(templateFile(templatesDir, name));
  if (!source) {
    const known = templateNames(templatesDir);
    throw new ConfigError(`no template "${name}"; ${known.length ? `known templates: ${known.join(', ')}` : 'there are none yet'}`, {
      hint: `make one with: llmo templates save ${name} --prompt "…" (or llmo templates import DIR)`,
    });
  }
  return parseTemplate(name, source);
}

export function parseTemplate(name: string, source: YamlFile): Template {
  const value = source.value;
  if (!isRecord(value)) throw fieldError(source, [], 'expected a mapping of template fields', `fields: ${TEMPLATE_FIELDS.join(', ')}`);
  rejectUnknownKeys(source, [], value, TEMPLATE_FIELDS);
  const text = (field: string): string | undefined => {
    const item = value[field];
    if (item === undefined || item === null) return undefined;
    if (typeof item !== 'string') throw fieldError(source, [field], 'must be a string');
    return item;
  };
  const template: Template = { name };
  for (const field of ['description', 'system', 'prompt', 'model'] as const) {
    const item = text(field);
    if (item !== undefined) template[field] = item;
  }
  const temperature = value.temperature;
  if (temperature !== undefined && temperature !== null) {
    if (typeof temperature !== 'number' || !(temperature >= 0 && temperature <= 2)) {
      throw fieldError(source, ['temperature'], 'must be a number ≥ 0 and ≤ 2');
    }
    template.temperature = temperature;
  }
  const schema = value.schema;
  if (schema !== undefined && schema !== null) {
    if (typeof schema !== 'string' && !isRecord(schema)) {
      throw fieldError(source, ['schema'], 'expected a JSON Schema (a mapping), or what --schema takes (a name, a file, the concise form)');
    }
    template.schema = schema;
  }
  const tools = value.tools;
  if (tools !== undefined && tools !== null) {
    const list = Array.isArray(tools) ? tools : [tools];
    list.forEach((item, index) => {
      if (typeof item !== 'string' || item.trim() === '') {
        throw fieldError(source, Array.isArray(tools) ? ['tools', index] : ['tools'], 'must be MCP server names or server.tool patterns');
      }
    });
    template.tools = list as string[];
  }
  return template;
}

/** `{{name}}`, as chains write their variables. */
const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g;

/** The variables a text uses, in order of first use. */
export function variablesOf(text: string | undefined): string[] {
  if (text === undefined) return [];
  return [...new Set([...text.matchAll(VARIABLE)].map((match) => match[1]!))];
}

/** Fills in every `{{name}}` once (a value holding `{{x}}` stays as written). */
export function fillVariables(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(VARIABLE, (whole, name: string) => values.get(name) ?? whole);
}
