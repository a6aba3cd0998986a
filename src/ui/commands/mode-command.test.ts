import { describe, expect, it } from 'vitest';
import { createConversation } from '../../conversations/index.js';
import type { Mode } from '../../config/mode-settings.js';
import { fakeResolver, memoryStore, recordingClipboard, testCatalog } from '../chat.test-support.js';
import { builtinCommands } from './index.js';
import { findCommand } from './parse-command.js';
import type { CommandContext, RequestParameters } from './types.js';

const modes = new Map<string, Mode>([
  ['debug', { name: 'debug', description: 'find the cause', system: 'You are debugging.', temperature: 0.1, model: 'mini' }],
  ['plain', { name: 'plain', description: undefined, system: undefined, temperature: 0.7, model: undefined }],
]);

function context(session: { mode?: string; text?: string | null; parameters?: RequestParameters } = {}): CommandContext {
  const conversation = createConversation({ origin: 'chat', model: 'anthropic:claude-sonnet-4-5' });
  return {
    catalog: testCatalog(),
    store: memoryStore(),
    resolveModel: fakeResolver(),
    clipboard: recordingClipboard(),
    session: {
      conversation: { ...conversation, system: { ...conversation.system, text: session.text ?? null, prompt: session.text ?? null } },
      model: 'anthropic:claude-sonnet-4-5',
      provider: 'anthropic',
      raw: false,
      retryPrompt: undefined,
      parameters: session.parameters ?? { maxTokens: 500 },
      mode: session.mode,
    },
    modes,
    commands: builtinCommands,
  };
}

const mode = findCommand(builtinCommands, 'mode')!;

describe('/mode', () => {
  it("sets the mode's system prompt, temperature and model, keeping other /set values", async () => {
    const result = await mode.action(context(), 'debug');
    expect(result).toMatchObject({
      type: 'set-mode',
      mode: 'debug',
      system: { text: 'You are debugging.', prompt: 'You are debugging.' },
      parameters: { maxTokens: 500, temperature: 0.1 },
      resolved: { provider: 'openai', modelId: 'gpt-5-mini' },
      text: 'mode debug: find the cause (now openai:gpt-5-mini)',
    });
  });

  it('a mode without a system prompt keeps the one there is; a model that takes no temperature gets none', async () => {
    const result = await mode.action(context({ text: 'Be brief.' }), 'plain');
    expect(result).toMatchObject({ type: 'set-mode', mode: 'plain', system: { text: 'Be brief.' } });
    expect(result).not.toHaveProperty('resolved');
    // The chat is on Anthropic, whose API no longer takes a temperature (no_temperature).
    expect(result.type === 'set-mode' && result.parameters).toEqual({ maxTokens: 500, temperature: undefined });
  });

  it('off removes what the mode set; alone it shows the mode and those there are', async () => {
    const off = await mode.action(context({ mode: 'debug', text: 'You are debugging.', parameters: { temperature: 0.1 } }), 'off');
    expect(off).toMatchObject({ type: 'set-mode', mode: undefined, system: { text: null, prompt: null }, text: 'mode off' });
    expect(off.type === 'set-mode' && off.parameters.temperature).toBeUndefined();
    expect(await mode.action(context({ mode: 'debug' }), '')).toMatchObject({ text: 'Mode: debug. Available: debug, plain' });
  });

  it('refuses an unknown mode with the known ones, and completes their names', async () => {
    expect(await mode.action(context(), 'deb')).toMatchObject({ type: 'message', level: 'error', text: 'unknown mode "deb"' });
    expect(await mode.completion!(context(), '')).toEqual(['debug', 'plain', 'off']);
  });
});
