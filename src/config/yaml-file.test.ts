import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { parseYaml } from './yaml-file.js';

describe('parseYaml', () => {
  it('reads a 50,000-key file and locates every key in time linear in its size', () => {
    // Quadratic work (the library's duplicate-key check, a scan of the mapping per lookup) takes
    // about a minute at this size, far past the test's time limit; linear work takes a blink.
    const count = 50_000;
    const lines = ['aliases:'];
    for (let index = 0; index < count; index += 1) lines.push(`  alias${index}: openai:model-${index}`);
    const parsed = parseYaml('models.yaml', `${lines.join('\n')}\n`);
    expect(Object.keys((parsed.value as { aliases: object }).aliases)).toHaveLength(count);
    for (let index = 0; index < count; index += 1) {
      expect(parsed.locate(['aliases', `alias${index}`])).toBe(`models.yaml:${index + 2}`);
    }
  });

  it('still refuses a key given twice in one mapping, naming its line', () => {
    const text = 'request:\n  retries: 1\n  timeout_seconds: 5\n  retries: 2\n';
    expect(() => parseYaml('config.yaml', text)).toThrow(ConfigError);
    expect(() => parseYaml('config.yaml', text)).toThrow(/^config\.yaml:4:3: invalid YAML: Map keys must be unique/);
    // The same key in two different mappings is fine.
    expect(() => parseYaml('config.yaml', 'a:\n  x: 1\nb:\n  x: 2\n')).not.toThrow();
  });

  it('locates a field that is not there at the nearest key that is, and items of lists by index', () => {
    const parsed = parseYaml('chains.yaml', 'steps:\n  - model: a\n    prompt: hi\n  - model: b\n');
    expect(parsed.locate(['steps', 1, 'model'])).toBe('chains.yaml:4');
    expect(parsed.locate(['steps', 0, 'prompt'])).toBe('chains.yaml:3');
    expect(parsed.locate(['steps', 0, 'missing'])).toBe('chains.yaml:2');
    expect(parsed.locate(['nothing'])).toBe('chains.yaml:1');
  });
});
