/** `llmo ask --mode NAME`: a preset's system prompt, temperature and model, shipped or inherited. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FakeProviders } from './fake-providers/server.mjs';
import { useE2e } from './helpers/e2e.js';
import { makeHome, removeHome, runLlmo } from './helpers/run-llmo.js';

const e2e = useE2e({
  providers: ['openai', 'anthropic'],
  home: 'file',
  config: [
    'modes:',
    '  review:',
    '    inherits: technical',
    '    system: Review the code you are given.',
    '    model: openai:gpt-4o-mini',
    '',
  ].join('\n'),
});
// The tests read this file's fakes by this name.
let fake: FakeProviders;
beforeEach(() => {
  ({ fake } = e2e);
});

const ask = (args: string[]) => e2e.run(['ask', '--no-save', ...args]);
const lastBody = () =>
  fake.requestsFor('openai').at(-1)!.body as { model: string; temperature?: number; messages: { role: string; content: string }[] };

describe('ask --mode', () => {
  it('a shipped mode sets the system prompt and temperature', async () => {
    fake.enqueue('openai', { text: 'Check the logs.' });
    const result = await ask(['-m', 'openai:gpt-4o-mini', '--mode', 'debug', 'it fails']);
    expect(result.code, result.stderr).toBe(0);
    expect(lastBody().temperature).toBe(0.1);
    expect(lastBody().messages[0]).toEqual({ role: 'system', content: expect.stringMatching(/^You are debugging\./) });
  });

  it('its preferred model (sonnet), which takes no temperature, is asked without one and without a warning', async () => {
    const result = await ask(['--mode', 'research', 'what is known?']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const body = fake.requestsFor('anthropic').at(-1)!.body as { model: string; system?: string; temperature?: number };
    expect(body.model).toBe('claude-sonnet-5-5');
    expect(body.system).toMatch(/^You are a careful researcher\./);
    expect(body).not.toHaveProperty('temperature');
  });

  it("a continued conversation keeps its own model over a mode's preferred one; -m still wins", async () => {
    const started = await e2e.run(['ask', '-m', 'openai:gpt-4o-mini', 'first']);
    expect(started.code, started.stderr).toBe(0);
    const continued = await e2e.run(['ask', '-c', '--mode', 'research', 'and then?']);
    expect(continued.code, continued.stderr).toBe(0);
    expect(fake.requestsFor('anthropic')).toHaveLength(0);
    expect(lastBody().model).toBe('gpt-4o-mini');
    expect(lastBody().messages[0]!.content).toMatch(/^You are a careful researcher\./);
    const switched = await e2e.run(['ask', '-c', '--mode', 'research', '-m', 'sonnet', 'and now?']);
    expect(switched.code, switched.stderr).toBe(0);
    expect(fake.requestsFor('anthropic')).toHaveLength(1);
  });

  it('a user mode inherits what it does not set, and its preferred model is used without -m', async () => {
    fake.enqueue('openai', { text: 'Looks fine.' });
    const result = await ask(['--mode', 'review', 'x = 1']);
    expect(result.code, result.stderr).toBe(0);
    expect(lastBody().model).toBe('gpt-4o-mini');
    expect(lastBody().temperature).toBe(0.2); // technical's
    expect(lastBody().messages[0]).toEqual({ role: 'system', content: 'Review the code you are given.' });
  });

  it('flags win over the mode', async () => {
    fake.enqueue('openai', { text: 'ok' });
    const result = await ask(['--mode', 'review', '-s', 'Be brief.', '--temperature', '1.5', 'x']);
    expect(result.code, result.stderr).toBe(0);
    expect(lastBody().temperature).toBe(1.5);
    expect(lastBody().messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
  });

  it('an unknown mode is exit 3 with the closest one', async () => {
    const result = await ask(['--mode', 'reveiw', 'x']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('unknown mode "reveiw"; did you mean review?');
  });

  it('a cycle of inherits is exit 3 before any request', async () => {
    const looping = makeHome();
    writeFileSync(path.join(looping, 'config.yaml'), 'modes:\n  a:\n    inherits: b\n  b:\n    inherits: a\n');
    const result = await runLlmo(['ask', '--mode', 'a', 'x'], { home: looping, env: e2e.env() });
    removeHome(looping);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('modes.a.inherits: inherits in a circle (a → b → a)');
    expect(fake.requests).toHaveLength(0);
  });
});
