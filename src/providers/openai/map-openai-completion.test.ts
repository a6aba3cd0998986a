import { describe, expect, it } from 'vitest';
import { mapOpenAICompletion, type OpenAIWireCompletion } from './map-openai-completion.js';
import { readRecordedJson } from './openai-recordings.test-support.js';

describe('mapOpenAICompletion', () => {
  it('reads a recorded OpenAI completion (nonstream_text)', () => {
    const completion = readRecordedJson('openai', 'nonstream_text.json') as OpenAIWireCompletion;
    expect(mapOpenAICompletion(completion)).toEqual({
      text: '4242',
      reasoning: '',
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 15, outputTokens: 11, cachedInputTokens: 0, reasoningTokens: 0 },
      responseModel: 'gpt-5-mini-2025-08-07',
    });
  });

  it('reads a recorded DeepSeek completion, whose model is not the alias asked for (nonstream_text)', () => {
    const completion = readRecordedJson('deepseek', 'nonstream_text.json') as OpenAIWireCompletion;
    expect(mapOpenAICompletion(completion)).toEqual({
      text: '4',
      reasoning: '',
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 12, outputTokens: 1, cachedInputTokens: 0 },
      responseModel: 'deepseek-v4-flash',
    });
  });

  it('reads reasoning_content and a refusal', () => {
    expect(
      mapOpenAICompletion({
        choices: [{ message: { content: null, refusal: 'No.', reasoning_content: 'Thinking…' }, finish_reason: 'stop' }],
      }),
    ).toMatchObject({ text: 'No.', reasoning: 'Thinking…', usage: undefined, responseModel: undefined });
  });

  it('returns undefined for a body without choices', () => {
    expect(mapOpenAICompletion({ error: { message: 'upstream failed', code: 502 } })).toBeUndefined();
    expect(mapOpenAICompletion({ choices: [] })).toBeUndefined();
  });
});
