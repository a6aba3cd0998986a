import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../spec.js';
import { createOpenAIStreamState, mapOpenAIStreamChunk, type OpenAIWireChunk } from './map-openai-stream-chunk.js';
import { readRecordedChunks, type RecordingVendor } from './openai-recordings.test-support.js';

function replay(vendor: RecordingVendor, file: string) {
  const state = createOpenAIStreamState();
  const parts: StreamPart[] = [];
  for (const chunk of readRecordedChunks(vendor, file)) parts.push(...mapOpenAIStreamChunk(chunk as OpenAIWireChunk, state));
  const text = (type: 'text-delta' | 'reasoning-delta') => parts.map((part) => (part.type === type ? part.text : '')).join('');
  return { state, parts, text: text('text-delta'), reasoning: text('reasoning-delta') };
}

describe('mapOpenAIStreamChunk on recorded streams', () => {
  it('OpenAI with include_usage: text, finish reason, then usage from the choices:[] chunk', () => {
    const { state, parts, text } = replay('openai', 'stream_text_include_usage.sse');
    expect(parts).toEqual([
      { type: 'text-delta', text: 'hello' },
      { type: 'text-delta', text: ' world' },
    ]);
    expect(text).toBe('hello world');
    expect(state).toMatchObject({
      finishReason: 'stop',
      responseModel: 'gpt-5-mini-2025-08-07',
      usage: { inputTokens: 11, outputTokens: 139, cachedInputTokens: 0, reasoningTokens: 128 },
    });
  });

  it('OpenAI without stream_options: no usage at all', () => {
    const { state, text } = replay('openai', 'stream_text_no_stream_options.sse');
    expect(text).toBe('1, 2, 3, 4, 5');
    expect(state.finishReason).toBe('stop');
    expect(state.usage).toBeUndefined();
  });

  it('OpenAI cut by max tokens: finish reason length and no text', () => {
    const { state, parts } = replay('openai', 'stream_finish_length.sse');
    expect(parts).toEqual([]);
    expect(state.finishReason).toBe('length');
    expect(state.usage).toMatchObject({ inputTokens: 13, outputTokens: 50, reasoningTokens: 50 });
  });

  it('DeepSeek: usage on the finish chunk, without a separate usage chunk', () => {
    const { state, text } = replay('deepseek', 'stream_text_include_usage.sse');
    expect(text).toBe('1, 2, 3.');
    expect(state).toMatchObject({
      finishReason: 'stop',
      responseModel: 'deepseek-v4-flash',
      usage: { inputTokens: 11, outputTokens: 8, cachedInputTokens: 0 },
    });
  });

  it('DeepSeek thinking mode: reasoning_content deltas become reasoning-delta parts, before the text', () => {
    const { state, parts, text, reasoning } = replay('deepseek', 'stream_reasoning_content.sse');
    expect(reasoning.startsWith('We are asked: "What is')).toBe(true);
    expect(text.endsWith('23 is 391.')).toBe(true);
    const firstText = parts.findIndex((part) => part.type === 'text-delta');
    const lastReasoning = parts.findLastIndex((part) => part.type === 'reasoning-delta');
    expect(lastReasoning).toBeLessThan(firstText);
    expect(state.usage).toEqual({ inputTokens: 17, outputTokens: 47, cachedInputTokens: 0, reasoningTokens: 34 });
  });
});

describe('mapOpenAIStreamChunk', () => {
  it('reads the `reasoning` field Ollama and OpenRouter use', () => {
    const state = createOpenAIStreamState();
    expect(mapOpenAIStreamChunk({ choices: [{ delta: { content: null, reasoning: 'hmm' } }] }, state)).toEqual([
      { type: 'reasoning-delta', text: 'hmm' },
    ]);
  });

  it('shows a refusal as text', () => {
    const state = createOpenAIStreamState();
    expect(mapOpenAIStreamChunk({ choices: [{ delta: { refusal: "I can't help with that." } }] }, state)).toEqual([
      { type: 'text-delta', text: "I can't help with that." },
    ]);
  });

  it('keeps the first model name and the last usage', () => {
    const state = createOpenAIStreamState();
    mapOpenAIStreamChunk({ model: 'a', choices: [] }, state);
    mapOpenAIStreamChunk({ model: 'b', choices: [], usage: { prompt_tokens: 1, completion_tokens: 2 } }, state);
    expect(state).toMatchObject({ finishReason: undefined, responseModel: 'a', usage: { inputTokens: 1, outputTokens: 2 } });
  });
});
