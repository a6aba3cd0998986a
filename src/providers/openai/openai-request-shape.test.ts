import { describe, expect, it } from 'vitest';
import { resolveOpenAIRequestShape } from './openai-request-shape.js';

describe('resolveOpenAIRequestShape', () => {
  it('decides by capabilities alone', () => {
    const capabilities = new Set(['max_completion_tokens', 'no_temperature', 'stop_sequences_max_4', 'json_schema']);
    expect(resolveOpenAIRequestShape({ capabilities })).toEqual({
      maxCompletionTokens: true,
      noTemperature: true,
      maxStopSequences: 4,
      structuredOutput: 'json_schema',
      strictTools: true,
    });
  });

  it('json_object_only: json_object, and no strict functions', () => {
    expect(resolveOpenAIRequestShape({ capabilities: new Set(['json_object_only', 'json_schema']) })).toEqual({
      maxCompletionTokens: false,
      noTemperature: false,
      maxStopSequences: undefined,
      structuredOutput: 'json_object',
      strictTools: false,
    });
  });

  it('without capabilities: the widely understood chat-completions forms, whoever serves the model', () => {
    expect(resolveOpenAIRequestShape({})).toEqual({
      maxCompletionTokens: false,
      noTemperature: false,
      maxStopSequences: undefined,
      structuredOutput: 'json_schema',
      strictTools: false,
    });
  });
});
