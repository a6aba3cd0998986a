import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { packageRoot } from './paths.js';
import { buildSettings } from './settings.js';
import { parseYaml } from './yaml-file.js';

const shipped = () => parseYaml('default.yaml', readFileSync(`${packageRoot()}/config/default.yaml`, 'utf8'));
const withUser = (text: string) => buildSettings([shipped(), parseYaml('config.yaml', text)]);

describe('modes', () => {
  it('ship research, creative, technical and debug, each with a system prompt, a temperature and a model', () => {
    const { modes } = buildSettings([shipped()]);
    expect([...modes.keys()].sort()).toEqual(['creative', 'debug', 'research', 'technical']);
    for (const mode of modes.values()) {
      expect(mode.system).toMatch(/^You /);
      expect(mode.temperature).toBeGreaterThanOrEqual(0);
      expect(mode.model).toBe('sonnet');
    }
    expect(modes.get('creative')!.temperature).toBeGreaterThan(modes.get('debug')!.temperature!);
  });

  it('inherit: a mode takes what it does not set from its parent, and the parent from its own', () => {
    const { modes } = withUser(
      'modes:\n  review:\n    inherits: technical\n    system: Review the code.\n  strict-review:\n    inherits: review\n    temperature: 0\n',
    );
    const technical = modes.get('technical')!;
    expect(modes.get('review')).toEqual({ ...technical, name: 'review', system: 'Review the code.' });
    expect(modes.get('strict-review')).toEqual({ ...technical, name: 'strict-review', system: 'Review the code.', temperature: 0 });
  });

  it('a user file changes a shipped mode key by key', () => {
    const { modes } = withUser('modes:\n  debug:\n    model: openai:gpt-4o\n');
    expect(modes.get('debug')!.model).toBe('openai:gpt-4o');
    expect(modes.get('debug')!.temperature).toBe(0.1);
  });

  it('refuse a cycle of inherits (exit 3), naming the file, line and the circle', () => {
    const build = () => withUser('modes:\n  a:\n    inherits: b\n  b:\n    inherits: a\n');
    expect(build).toThrow(ConfigError);
    expect(build).toThrow('config.yaml:3: modes.a.inherits: inherits in a circle (a → b → a)');
  });

  it('refuse an unknown parent and a misspelt field', () => {
    expect(() => withUser('modes:\n  a:\n    inherits: reserch\n')).toThrow('modes.a.inherits: no mode "reserch"');
    expect(() => withUser('modes:\n  a:\n    temprature: 1\n')).toThrow('modes.a.temprature: unknown setting; did you mean temperature?');
    expect(() => withUser('modes:\n  a:\n    temperature: 3\n')).toThrow('modes.a.temperature: must be a number ≥ 0 and ≤ 2');
  });
});
