/** `llmo config path|get|set` through the built CLI. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeHome, removeHome, runLlmo } from './helpers/run-llmo.js';

let home: string;
beforeEach(() => {
  home = makeHome();
});
afterEach(() => removeHome(home));

describe('llmo config', () => {
  it('path names every file and says which exist', async () => {
    const result = await runLlmo(['config', 'path'], { home });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`config (user)     ${path.join(home, 'config.yaml')}  (not found)`);
    expect(result.stdout).toMatch(/models \(shipped\)\s+\S+models\.yaml\n/);
  });

  it('set writes a validated value that get then reads back, keeping the file readable', async () => {
    writeFileSync(path.join(home, 'config.yaml'), '# my settings\nmain_llm:\n  provider: openai\n');
    const set = await runLlmo(['config', 'set', 'budgets.daily_usd', '5'], { home });
    expect(set.code).toBe(0);
    expect((await runLlmo(['config', 'get', 'budgets.daily_usd'], { home })).stdout).toBe('5\n');
    const text = readFileSync(path.join(home, 'config.yaml'), 'utf8');
    expect(text).toContain('# my settings');
    expect(text).toContain('provider: openai');
    expect((await runLlmo(['config', 'set', 'budgets.daily_usd', 'null'], { home })).code).toBe(0);
    expect((await runLlmo(['config', 'get', 'budgets.daily_usd'], { home })).stdout).toBe('null\n');
  });

  it('refuses a wrong type or an unknown key with exit 3 and leaves the file as it was', async () => {
    writeFileSync(path.join(home, 'config.yaml'), 'budgets:\n  daily_usd: 2\n');
    const before = readFileSync(path.join(home, 'config.yaml'), 'utf8');
    const wrongType = await runLlmo(['config', 'set', 'budgets.daily_usd', 'lots'], { home });
    expect(wrongType.code).toBe(3);
    expect(wrongType.stderr).toContain('budgets.daily_usd: must be a number');
    const unknown = await runLlmo(['config', 'set', 'budgets.dayly_usd', '3'], { home });
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('budgets.dayly_usd: unknown setting; did you mean daily_usd?');
    expect(readFileSync(path.join(home, 'config.yaml'), 'utf8')).toBe(before);
  });

  it('changes the default model piecemeal: a provider alone means its default model', async () => {
    writeFileSync(path.join(home, 'config.yaml'), 'main_llm:\n  provider: anthropic\n  model: claude-haiku-4-5\n');
    expect((await runLlmo(['config', 'set', 'main_llm.provider', 'openai'], { home })).code).toBe(0);
    const model = await runLlmo(['config', 'get', 'main_llm.model'], { home });
    expect(model.code).toBe(0);
    expect(model.stdout).toBe('');
    expect(model.stderr).toBe("llmo: main_llm.model is not set; llmo uses openai's default model (gpt-6-sol)\n");

    expect((await runLlmo(['config', 'set', 'main_llm', 'mistral'], { home })).code).toBe(0);
    expect((await runLlmo(['config', 'get', 'main_llm.provider'], { home })).stdout).toBe('mistral\n');
    expect((await runLlmo(['config', 'set', 'main_llm', 'openai:gpt-6-sol'], { home })).code).toBe(0);
    expect((await runLlmo(['config', 'get', 'main_llm.model'], { home })).stdout).toBe('gpt-6-sol\n');
  });
});
