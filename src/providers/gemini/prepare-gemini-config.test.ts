import { describe, expect, it } from 'vitest';
import { prepareGeminiConfig } from './prepare-gemini-config.js';

const messages = [{ role: 'user' as const, content: 'Hi' }];

describe('prepareGeminiConfig', () => {
  it('maps max tokens, temperature and stop sequences to their Gemini names', () => {
    expect(prepareGeminiConfig({ messages, maxTokens: 100, temperature: 0.5, stop: ['\nObservation:'] }, 'gemini')).toEqual({
      config: { automaticContinuation: false, maxOutputTokens: 100, temperature: 0.5, stopSequences: ['\nObservation:'] },
      warnings: [],
    });
  });

  it("always turns off the SDK's automatic continuation, so a dropped stream is never re-sent behind llmo's back", () => {
    expect(prepareGeminiConfig({ messages }, 'gemini').config).toEqual({ automaticContinuation: false });
  });

  it('keeps the first five stop sequences and warns about the rest', () => {
    const { config, warnings } = prepareGeminiConfig({ messages, stop: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }, 'work');
    expect(config.stopSequences).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(warnings).toEqual([
      { type: 'unsupported', provider: 'work', feature: 'stop sequences', details: 'Gemini accepts at most 5; only the first 5 were sent' },
    ]);
  });

  it('clamps a temperature outside 0..2 and warns', () => {
    const { config, warnings } = prepareGeminiConfig({ messages, temperature: 3 }, 'gemini');
    expect(config.temperature).toBe(2);
    expect(warnings).toEqual([
      { type: 'unsupported', provider: 'gemini', feature: 'temperature', details: 'Gemini accepts 0 to 2; sent 2 instead of 3' },
    ]);
  });

  it('passes known providerOptions.gemini through and warns about unknown ones', () => {
    const { config, warnings } = prepareGeminiConfig(
      {
        messages,
        providerOptions: {
          gemini: { thinkingConfig: { includeThoughts: true, thinkingBudget: 3200 }, topK: 3, frequencyPenaltyX: 1 },
          openai: { reasoning_effort: 'low' },
        },
      },
      'gemini',
    );
    expect(config.thinkingConfig).toEqual({ includeThoughts: true, thinkingBudget: 3200 });
    expect(config.topK).toBe(3);
    expect(config).not.toHaveProperty('frequencyPenaltyX');
    expect(warnings).toEqual([
      expect.objectContaining({ type: 'unsupported', provider: 'gemini', feature: 'providerOptions.gemini.frequencyPenaltyX' }),
    ]);
  });

  it('asks for JSON with the schema as plain JSON Schema in responseJsonSchema', () => {
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false };
    expect(prepareGeminiConfig({ messages, responseFormat: { type: 'json', schema, name: 'person' } }, 'gemini').config).toEqual({
      automaticContinuation: false,
      responseMimeType: 'application/json',
      responseJsonSchema: schema,
    });
    expect(prepareGeminiConfig({ messages, responseFormat: { type: 'json' } }, 'gemini').config).toEqual({
      automaticContinuation: false,
      responseMimeType: 'application/json',
    });
  });
});
