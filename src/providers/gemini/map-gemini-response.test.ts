import type { GenerateContentResponse } from '@google/genai';
import { describe, expect, it } from 'vitest';
import type { ProviderWarning } from '../spec.js';
import { createToolNameCodec } from '../tool-names.js';
import { mapGeminiResponse } from './map-gemini-response.js';

const codec = createToolNameCodec(['fs.read']);
/** A response as the wire sends it: the SDK's class only adds getters over these fields. */
const wire = (fields: object) => fields as GenerateContentResponse;

describe('mapGeminiResponse', () => {
  it('joins text and thoughts apart, decodes tool calls, and counts thinking tokens as output', () => {
    const response = wire({
      responseId: 'resp1',
      modelVersion: 'gemini-2.5-flash',
      candidates: [
        {
          finishReason: 'STOP',
          content: {
            role: 'model',
            parts: [
              { text: 'Let me look', thought: true },
              { text: 'Reading ' },
              { text: 'the file.' },
              { functionCall: { name: 'fs__read', args: { path: 'a.txt' } } },
            ],
          },
        },
      ],
      usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 5, thoughtsTokenCount: 3 },
    });
    const warnings: ProviderWarning[] = [];
    expect(mapGeminiResponse(response, codec, warnings, 'work')).toEqual({
      text: 'Reading the file.',
      reasoning: 'Let me look',
      toolCalls: [{ id: 'resp1-call-0', name: 'fs.read', arguments: { path: 'a.txt' } }],
      finishReason: 'tool-calls',
      usage: { inputTokens: 12, outputTokens: 8, reasoningTokens: 3 },
      responseModel: 'gemini-2.5-flash',
    });
    expect(warnings).toEqual([]);
  });

  it('reads a blocked prompt (no candidate) as a content filter, with a warning naming the provider', () => {
    const response = wire({ promptFeedback: { blockReason: 'SAFETY' } });
    const warnings: ProviderWarning[] = [];
    const result = mapGeminiResponse(response, codec, warnings, 'work');
    expect(result).toMatchObject({ text: '', reasoning: '', toolCalls: [], finishReason: 'content-filter', usage: undefined });
    expect(warnings).toEqual([{ type: 'other', provider: 'work', message: 'blocked the prompt (SAFETY)' }]);
  });
});
