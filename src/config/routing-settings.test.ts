import { describe, expect, it } from 'vitest';
import { buildSettings } from './settings.js';
import { parseYaml } from './yaml-file.js';

const settingsOf = (text: string) => buildSettings([parseYaml('config.yaml', text)]);

describe('routing settings', () => {
  it('reads candidates and rules', () => {
    const settings = settingsOf(
      'routing:\n  candidates: [sonnet, flash]\n  rules:\n    - when: { has_code: true, mode: cheap, min_prompt_tokens: 100 }\n      model: sonnet\n',
    );
    expect(settings.routing).toEqual({
      candidates: ['sonnet', 'flash'],
      rules: [{ when: { hasCode: true, mode: 'cheap', minPromptTokens: 100 }, model: 'sonnet' }],
    });
    expect(settingsOf('').routing).toEqual({ candidates: [], rules: [] });
  });

  it('names the field of a mistake at any depth', () => {
    expect(() => settingsOf('routing:\n  rulez: []\n')).toThrow(/routing\.rulez: unknown setting; did you mean rules\?/);
    expect(() => settingsOf('routing:\n  rules:\n    - when: { has_cod: true }\n      model: sonnet\n')).toThrow(
      /routing\.rules\[0\]\.when\.has_cod: unknown setting; did you mean has_code\?/,
    );
    expect(() => settingsOf('routing:\n  rules:\n    - when: { mode: cheapest }\n      model: sonnet\n')).toThrow(
      /when\.mode: must be one of cheap, balanced, best, fast/,
    );
    expect(() => settingsOf('routing:\n  rules:\n    - when: { has_code: yes please }\n      model: sonnet\n')).toThrow(
      /has_code: must be true or false/,
    );
    expect(() => settingsOf('routing:\n  rules:\n    - when: { has_code: true }\n')).toThrow(
      /rules\[0\]\.model: must be a model reference/,
    );
    expect(() => settingsOf('routing:\n  rules:\n    - model: sonnet\n      when: {}\n')).toThrow(/rules\[0\]\.when: expected conditions/);
    expect(() => settingsOf('routing:\n  candidates: sonnet\n')).toThrow(/routing\.candidates: must be a list/);
  });
});
