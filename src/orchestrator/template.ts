/**
 * Prompt templates: text with `{{input}}`, `{{previous}}`, `{{steps.NAME.output}}`,
 * `{{steps.NAME.outputs}}`, `{{steps.NAME.json.FIELD…}}` (a field of a schema'd step's JSON) and `{{vars.KEY}}`. Parsed once, so validation can check every
 * reference before a call is made and rendering never meets a surprise. `\{{` is a literal `{{`.
 * Values are inserted as they are: an output containing `{{` is never read as a template.
 */

export type TemplateVariable =
  | { kind: 'input' }
  | { kind: 'previous' }
  | { kind: 'step'; step: string; field: 'output' | 'outputs' }
  /** A value in the JSON of a step with a schema: `path` is the field names (and list indices) after `.json`. */
  | { kind: 'step-json'; step: string; path: string[] }
  | { kind: 'var'; key: string }
  /** Inside a `repeat:` block: the 1-based iteration, or the previous iteration's result. */
  | { kind: 'loop'; field: 'iteration' | 'previous' }
  /** Inside a `foreach:` block: the item (or a field of it, `path`), and its 1-based position. */
  | { kind: 'item'; path: string[] }
  | { kind: 'item-index' };

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'variable'; variable: TemplateVariable /** `{{…}}` as written */; source: string; offset: number };

/** A mistake in a template, with the offset and length of the `{{…}}` it is about. */
export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly length = 2,
  ) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

export const VARIABLE_FORMS =
  '{{input}}, {{previous}}, {{steps.NAME.output}}, {{steps.NAME.outputs}}, {{steps.NAME.json.FIELD}}, {{vars.KEY}}, {{loop.iteration}}, {{loop.previous}}, {{item}}, {{item.FIELD}}, {{item_index}}';

const NAME = '[A-Za-z0-9_-]+';
const STEP_REFERENCE = new RegExp(`^steps\\.(${NAME})\\.(output|outputs)$`);
const VAR_REFERENCE = new RegExp(`^vars\\.(${NAME})$`);
const JSON_REFERENCE = new RegExp(`^steps\\.(${NAME})\\.json((?:\\.${NAME})*)$`);
const BARE_NAME = new RegExp(`^${NAME}$`);
const LOOP_REFERENCE = /^loop\.(iteration|previous)$/;
const ITEM_REFERENCE = new RegExp(`^item((?:\\.${NAME})*)$`);

export interface ParseTemplateOptions {
  /**
   * Read a bare `{{NAME}}` as `{{vars.NAME}}`: batch templates fill each line's fields by name
   * (`Classify: {{text}}`), where there are no chain steps to confuse them with.
   */
  readonly bareNames?: boolean;
}

export function parseTemplate(template: string, options: ParseTemplateOptions = {}): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let index = 0;
  while (index < template.length) {
    if (template.startsWith('\\{{', index)) {
      text += '{{';
      index += 3;
      continue;
    }
    if (!template.startsWith('{{', index)) {
      text += template[index];
      index += 1;
      continue;
    }
    const close = template.indexOf('}}', index + 2);
    if (close < 0) throw new TemplateSyntaxError('"{{" is never closed with "}}" (write \\{{ for a literal "{{")', index);
    const source = template.slice(index, close + 2);
    if (text) parts.push({ kind: 'text', text });
    text = '';
    parts.push({ kind: 'variable', variable: parseVariable(source, index, options), source, offset: index });
    index = close + 2;
  }
  if (text) parts.push({ kind: 'text', text });
  return parts;
}

function parseVariable(source: string, offset: number, options: ParseTemplateOptions): TemplateVariable {
  const body = source.slice(2, -2).trim();
  if (options.bareNames && BARE_NAME.test(body) && body !== 'input' && body !== 'previous') return { kind: 'var', key: body };
  if (body === 'input') return { kind: 'input' };
  if (body === 'previous') return { kind: 'previous' };
  if (body === 'item_index') return { kind: 'item-index' };
  const loop = LOOP_REFERENCE.exec(body);
  if (loop) return { kind: 'loop', field: loop[1] as 'iteration' | 'previous' };
  const item = ITEM_REFERENCE.exec(body);
  if (item) return { kind: 'item', path: item[1] ? item[1].slice(1).split('.') : [] };
  const step = STEP_REFERENCE.exec(body);
  if (step) return { kind: 'step', step: step[1]!, field: step[2] as 'output' | 'outputs' };
  const json = JSON_REFERENCE.exec(body);
  if (json) return { kind: 'step-json', step: json[1]!, path: json[2] ? json[2].slice(1).split('.') : [] };
  const variable = VAR_REFERENCE.exec(body);
  if (variable) return { kind: 'var', key: variable[1]! };
  throw new TemplateSyntaxError(`unknown variable ${source}; ${hintFor(body)}`, offset, source.length);
}

function hintFor(body: string): string {
  if (/^steps\.[^.]+$/.test(body)) return `write {{${body}.output}} (or .outputs for a parallel stage)`;
  if (body.startsWith('steps.')) return 'write {{steps.NAME.output}}, {{steps.NAME.outputs}} or {{steps.NAME.json.FIELD}}';
  if (body.startsWith('vars.')) return 'variable keys are letters, digits, - and _';
  if (/^[A-Za-z0-9_-]+$/.test(body)) return `use {{vars.${body}}} with --var ${body}=VALUE, or one of ${VARIABLE_FORMS}`;
  return `variables are ${VARIABLE_FORMS}`;
}

export function variables(parts: readonly TemplatePart[]): Array<Extract<TemplatePart, { kind: 'variable' }>> {
  return parts.filter((part): part is Extract<TemplatePart, { kind: 'variable' }> => part.kind === 'variable');
}

/**
 * The value at `path` in a step's JSON, as prompt text: strings as they are, anything else as
 * one line of JSON; undefined when the path leads nowhere.
 */
export function jsonValueText(data: unknown, path: readonly string[]): string | undefined {
  let value = data;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function renderTemplate(parts: readonly TemplatePart[], valueFor: (variable: TemplateVariable) => string): string {
  return parts.map((part) => (part.kind === 'text' ? part.text : valueFor(part.variable))).join('');
}
