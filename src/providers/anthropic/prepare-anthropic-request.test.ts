import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_TOKENS, prepareAnthropicRequest } from './prepare-anthropic-request.js';

const settings = (modelId: string, capabilities: string[] = []) => ({ provider: 'work', modelId, capabilities: new Set(capabilities) });

describe('prepareAnthropicRequest', () => {
  it('asks for max_tokens 4096 when the request sets none, since Anthropic requires it', () => {
    const { params, warnings } = prepareAnthropicRequest(settings('claude-haiku-4-5'), { messages: [{ role: 'user', content: 'Hi' }] });
    expect(params).toEqual({ model: 'claude-haiku-4-5', max_tokens: DEFAULT_MAX_TOKENS, messages: [{ role: 'user', content: 'Hi' }] });
    expect(DEFAULT_MAX_TOKENS).toBe(4096);
    expect(warnings).toEqual([]);
  });

  it('sends maxTokens, the hoisted system prompt and stop sequences', () => {
    const { params } = prepareAnthropicRequest(settings('claude-haiku-4-5'), {
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      maxTokens: 100,
      stop: ['```'],
    });
    expect(params).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
      stop_sequences: ['```'],
    });
  });

  it('leaves out an empty stop list', () => {
    const { params } = prepareAnthropicRequest(settings('m'), { messages: [{ role: 'user', content: 'Hi' }], stop: [] });
    expect(params).not.toHaveProperty('stop_sequences');
  });

  it('turns a temperature, which the Anthropic API no longer accepts, into a warning', () => {
    const { params, warnings } = prepareAnthropicRequest(settings('m'), { messages: [{ role: 'user', content: 'Hi' }], temperature: 0.2 });
    expect(params).not.toHaveProperty('temperature');
    expect(warnings).toEqual([
      { type: 'unsupported', provider: 'work', feature: 'temperature', details: 'the Anthropic API no longer accepts it; it was ignored' },
    ]);
  });

  it("adds providerOptions.anthropic fields, but never lets them replace llmo's own", () => {
    const { params } = prepareAnthropicRequest(settings('claude-sonnet-4-5'), {
      messages: [{ role: 'user', content: 'Hi' }],
      maxTokens: 2000,
      providerOptions: {
        anthropic: { thinking: { type: 'adaptive' }, model: 'other-model', max_tokens: 1 },
        openai: { reasoning_effort: 'high' },
      },
    });
    expect(params).toEqual({
      thinking: { type: 'adaptive' },
      model: 'claude-sonnet-4-5',
      max_tokens: 2000,
      messages: [{ role: 'user', content: 'Hi' }],
    });
  });
});
