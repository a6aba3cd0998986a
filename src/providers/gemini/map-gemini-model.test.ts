import { describe, expect, it } from 'vitest';
import { mapGeminiModel } from './map-gemini-model.js';

describe('mapGeminiModel', () => {
  it('strips `models/` and keeps the name and limits Gemini gives', () => {
    expect(
      mapGeminiModel({
        name: 'models/gemini-2.5-flash',
        displayName: 'Gemini 2.5 Flash',
        inputTokenLimit: 1048576,
        outputTokenLimit: 65536,
      }),
    ).toEqual({ id: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', contextWindow: 1048576, maxOutputTokens: 65536 });
    expect(mapGeminiModel({ name: 'models/aqa' })).toEqual({ id: 'aqa' });
  });
});
