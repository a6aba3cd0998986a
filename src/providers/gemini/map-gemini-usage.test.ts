import type { GenerateContentResponseUsageMetadata } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { mapGeminiUsage } from './map-gemini-usage.js';

/** The recordings' JSON carries the modality enum as a plain string. */
function recorded(metadata: object): GenerateContentResponseUsageMetadata {
  return metadata as GenerateContentResponseUsageMetadata;
}

// usageMetadata objects exactly as recorded in /work/shared/wire/gemini.
const sseTextLastChunk = {
  promptTokenCount: 6,
  candidatesTokenCount: 2,
  totalTokenCount: 25,
  promptTokensDetails: [{ modality: 'TEXT', tokenCount: 6 }],
  thoughtsTokenCount: 17,
};
const thinkingFirstChunk = {
  promptTokenCount: 9,
  totalTokenCount: 71,
  promptTokensDetails: [{ modality: 'TEXT', tokenCount: 9 }],
  thoughtsTokenCount: 62,
};
const generateContentText = {
  promptTokenCount: 13,
  candidatesTokenCount: 57,
  totalTokenCount: 101,
  promptTokensDetails: [{ modality: 'TEXT', tokenCount: 13 }],
  thoughtsTokenCount: 31,
};

describe('mapGeminiUsage', () => {
  it('counts thinking tokens as output and reports them as reasoning (sse_text, last chunk)', () => {
    expect(mapGeminiUsage(recorded(sseTextLastChunk))).toEqual({ inputTokens: 6, outputTokens: 19, reasoningTokens: 17 });
  });

  it('adds up to the recorded totalTokenCount', () => {
    const usage = mapGeminiUsage(recorded(generateContentText));
    expect(usage).toEqual({ inputTokens: 13, outputTokens: 88, reasoningTokens: 31 });
    expect(usage!.inputTokens + usage!.outputTokens).toBe(generateContentText.totalTokenCount);
  });

  it('tolerates a chunk without candidatesTokenCount (thinking, first chunk)', () => {
    expect(mapGeminiUsage(recorded(thinkingFirstChunk))).toEqual({ inputTokens: 9, outputTokens: 62, reasoningTokens: 62 });
  });

  it('leaves reasoning out when the model reported no thinking', () => {
    expect(mapGeminiUsage({ promptTokenCount: 4, candidatesTokenCount: 11, totalTokenCount: 15 })).toEqual({
      inputTokens: 4,
      outputTokens: 11,
    });
  });

  it('reports cached prompt tokens from cachedContentTokenCount', () => {
    expect(
      mapGeminiUsage({ promptTokenCount: 2000, cachedContentTokenCount: 1500, candidatesTokenCount: 10, totalTokenCount: 2010 }),
    ).toEqual({ inputTokens: 2000, outputTokens: 10, cachedInputTokens: 1500 });
  });

  it('returns undefined when the response had no usage', () => {
    expect(mapGeminiUsage(undefined)).toBeUndefined();
  });
});
