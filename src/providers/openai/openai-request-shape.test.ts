import { describe, expect, it } from 'vitest';
import { isOpenAIReasoningModel, resolveOpenAIRequestShape } from './openai-request-shape.js';

describe('resolveOpenAIRequestShape', () => {
  it('decides by capabilities alone when there are any, whatever the provider is called', () => {
    const capabilities = new Set(['max_completion_tokens', 'no_temperature', 'stop_sequences_max_4', 'json_schema']);
    const expected = {
      maxCompletionTokens: true,
      noTemperature: true,
      maxStopSequences: 4,
      structuredOutput: 'json_schema',
      strictTools: true,
    };
    expect(resolveOpenAIRequestShape({ provider: 'work', modelId: 'anything', capabilities })).toEqual(expected);
    expect(resolveOpenAIRequestShape({ provider: 'openai', modelId: 'anything', capabilities })).toEqual(expected);
  });

  it('json_object_only: json_object, and no strict functions', () => {
    expect(resolveOpenAIRequestShape({ provider: 'x', modelId: 'm', capabilities: new Set(['json_object_only', 'json_schema']) })).toEqual({
      maxCompletionTokens: false,
      noTemperature: false,
      maxStopSequences: undefined,
      structuredOutput: 'json_object',
      strictTools: false,
    });
  });

  it('without capabilities keeps what the adapter did before: OpenAI forms for `openai` only', () => {
    expect(resolveOpenAIRequestShape({ provider: 'openai', modelId: 'gpt-5-mini' })).toMatchObject({
      maxCompletionTokens: true,
      noTemperature: true,
      maxStopSequences: 4,
    });
    expect(resolveOpenAIRequestShape({ provider: 'openai', modelId: 'gpt-4o-mini' }).noTemperature).toBe(false);
    expect(resolveOpenAIRequestShape({ provider: 'ollama', modelId: 'o3' })).toEqual({
      maxCompletionTokens: false,
      noTemperature: false,
      maxStopSequences: undefined,
      structuredOutput: 'json_schema',
      strictTools: false,
    });
  });
});

describe('isOpenAIReasoningModel', () => {
  it.each([
    ['o1', true],
    ['o3-mini', true],
    ['o4-mini', true],
    ['gpt-5', true],
    ['gpt-5-mini', true],
    ['gpt-5-chat-latest', false],
    ['gpt-4o-mini', false],
    ['gpt-4.1-nano', false],
  ])('%s → %s', (modelId, expected) => {
    expect(isOpenAIReasoningModel(modelId)).toBe(expected);
  });
});
