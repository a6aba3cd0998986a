/**
 * Prompt templates: text with `{{input}}`, `{{previous}}`, `{{steps.NAME.output}}`,
 * `{{steps.NAME.outputs}}` and `{{vars.KEY}}`. Parsed once, so validation can check every
 * reference before a call is made and rendering never meets a surprise. `\{{` is a literal `{{`.
 * Values are inserted as they are: an output containing `{{` is never read as a template.
 */

export type TemplateVariable =
  | { kind: 'input' }
  | { kind: 'previous' }
  | { kind: 'step'; step: string; field: 'output' | 'outputs' }
  | { kind: 'var'; key: string };

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

export const VARIABLE_FORMS = '{{input}}, {{previous}}, {{steps.NAME.output}}, {{steps.NAME.outputs}}, {{vars.KEY}}';

const NAME = '[A-Za-z0-9_-]+';
const STEP_REFERENCE = new RegExp(`^steps\\.(${NAME})\\.(output|outputs)$`);
const VAR_REFERENCE = new RegExp(`^vars\\.(${NAME})$`);

export function parseTemplate(template: string): TemplatePart[] {
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
    parts.push({ kind: 'variable', variable: parseVariable(source, index), source, offset: index });
    index = close + 2;
  }
  if (text) parts.push({ kind: 'text', text });
  return parts;
}

function parseVariable(source: string, offset: number): TemplateVariable {
  const body = source.slice(2, -2).trim();
  if (body === 'input') return { kind: 'input' };
  if (body === 'previous') return { kind: 'previous' };
  const step = STEP_REFERENCE.exec(body);
  if (step) return { kind: 'step', step: step[1]!, field: step[2] as 'output' | 'outputs' };
  const variable = VAR_REFERENCE.exec(body);
  if (variable) return { kind: 'var', key: variable[1]! };
  throw new TemplateSyntaxError(`unknown variable ${source}; ${hintFor(body)}`, offset, source.length);
}

function hintFor(body: string): string {
  if (/^steps\.[^.]+$/.test(body)) return `write {{${body}.output}} (or .outputs for a parallel stage)`;
  if (body.startsWith('steps.')) return 'write {{steps.NAME.output}} or {{steps.NAME.outputs}}';
  if (body.startsWith('vars.')) return 'variable keys are letters, digits, - and _';
  if (/^[A-Za-z0-9_-]+$/.test(body)) return `use {{vars.${body}}} with --var ${body}=VALUE, or one of ${VARIABLE_FORMS}`;
  return `variables are ${VARIABLE_FORMS}`;
}

export function variables(parts: readonly TemplatePart[]): Array<Extract<TemplatePart, { kind: 'variable' }>> {
  return parts.filter((part): part is Extract<TemplatePart, { kind: 'variable' }> => part.kind === 'variable');
}

export function renderTemplate(parts: readonly TemplatePart[], valueFor: (variable: TemplateVariable) => string): string {
  return parts.map((part) => (part.kind === 'text' ? part.text : valueFor(part.variable))).join('');
}
