import { describe, expect, it } from 'vitest';
import { jsonValueText, parseTemplate, renderTemplate, TemplateSyntaxError, variables } from './template.js';

describe('parseTemplate', () => {
  it('finds every kind of variable, with or without spaces inside the braces', () => {
    const parts = parseTemplate('A {{input}} B {{ previous }} C {{steps.draft.output}} {{steps.opinions.outputs}} {{vars.tone}}');
    expect(variables(parts).map((part) => part.variable)).toEqual([
      { kind: 'input' },
      { kind: 'previous' },
      { kind: 'step', step: 'draft', field: 'output' },
      { kind: 'step', step: 'opinions', field: 'outputs' },
      { kind: 'var', key: 'tone' },
    ]);
  });

  it('renders values as they are, never re-reading braces inside them', () => {
    const parts = parseTemplate('Q: {{input}}!');
    expect(renderTemplate(parts, () => '{{vars.x}}')).toBe('Q: {{vars.x}}!');
  });

  it('keeps \\{{ as a literal {{', () => {
    expect(renderTemplate(parseTemplate('use \\{{name}} here'), () => 'X')).toBe('use {{name}} here');
  });

  it('rejects an unknown variable with the forms that exist, and where it is', () => {
    try {
      parseTemplate('hello {{inptu}}');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateSyntaxError);
      expect((error as TemplateSyntaxError).offset).toBe(6);
      expect((error as Error).message).toContain('unknown variable {{inptu}}');
      expect((error as Error).message).toContain('{{vars.inptu}}');
    }
  });

  it('says how to finish a step reference without a field', () => {
    expect(() => parseTemplate('{{steps.draft}}')).toThrow(/write \{\{steps\.draft\.output\}\}/);
  });

  it('rejects a "{{" that is never closed', () => {
    expect(() => parseTemplate('text {{input')).toThrow(/never closed/);
  });
});

describe('{{steps.NAME.json.FIELD}}', () => {
  it('parses the field path and renders strings as they are, other values as JSON', () => {
    const parts = parseTemplate('{{steps.extract.json.title}} / {{steps.extract.json.tags}} / {{ steps.extract.json }}');
    expect(variables(parts).map((part) => part.variable)).toEqual([
      { kind: 'step-json', step: 'extract', path: ['title'] },
      { kind: 'step-json', step: 'extract', path: ['tags'] },
      { kind: 'step-json', step: 'extract', path: [] },
    ]);
    expect(jsonValueText({ title: 'Dune', tags: ['sf'] }, ['title'])).toBe('Dune');
    expect(jsonValueText({ title: 'Dune', tags: ['sf'] }, ['tags'])).toBe('["sf"]');
    expect(jsonValueText({ tags: ['sf'] }, ['tags', '0'])).toBe('sf');
    expect(jsonValueText({ tags: ['sf'] }, ['nothing', 'here'])).toBeUndefined();
  });
});
