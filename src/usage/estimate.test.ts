import { describe, expect, it } from 'vitest';
import type { Message } from '../providers/spec.js';
import type { PlannedCall } from './accounting.js';
import { estimateCall, estimatePromptTokens, estimateUsage, FALLBACK_MAX_TOKENS, minimumPromptTokens } from './estimate.js';

/**
 * Prompts from the recorded vendor responses in /work/shared/wire (no tools), with the prompt
 * tokens each vendor reported for them. The estimate must never come in under any of them.
 */
const RECORDED: { recording: string; messages: Message[]; reported: number }[] = [
  { recording: 'anthropic/nonstream_text', messages: [{ role: 'user', content: 'What is 4200 + 42?' }], reported: 17 },
  {
    recording: 'anthropic/stream_stop_sequence_prefill',
    messages: [
      { role: 'user', content: 'Very short function describing a pelican' },
      { role: 'assistant', content: '```python' },
    ],
    reported: 16,
  },
  { recording: 'anthropic/stream_text', messages: [{ role: 'user', content: 'Say "hello world"' }], reported: 12 },
  { recording: 'anthropic/stream_thinking_then_text', messages: [{ role: 'user', content: 'What is 2 + 2?' }], reported: 45 },
  { recording: 'deepseek/nonstream_text', messages: [{ role: 'user', content: "What's 2 + 2?" }], reported: 12 },
  {
    recording: 'deepseek/stream_reasoning_content',
    messages: [
      { role: 'system', content: 'You are a helpful assistant' },
      { role: 'user', content: 'What is 17 * 23?' },
    ],
    reported: 17,
  },
  { recording: 'deepseek/stream_text_include_usage', messages: [{ role: 'user', content: 'Count from 1 to 3' }], reported: 11 },
  {
    recording: 'deepseek/stream_text_no_stream_options',
    messages: [{ role: 'user', content: 'Tell me a joke about opentelemetry' }],
    reported: 12,
  },
  { recording: 'gemini/generateContent_text', messages: [{ role: 'user', content: 'What is 4200 + 42?' }], reported: 13 },
  {
    recording: 'gemini/sse_max_tokens',
    messages: [
      {
        role: 'user',
        content:
          'Write a 1000 word essay about the history of dragons in mythology, covering their origins in ancient civilizations, their role in medieval European folklore, and their depictions in modern fantasy literature.',
      },
    ],
    reported: 40,
  },
  { recording: 'gemini/sse_text', messages: [{ role: 'user', content: 'Say "hello world"' }], reported: 6 },
  { recording: 'gemini/sse_thinking_include_thoughts', messages: [{ role: 'user', content: 'What is 2 + 2?' }], reported: 9 },
  {
    recording: 'gemini/stream_no_alt_json_array',
    messages: [{ role: 'user', content: 'Name for a pet pelican, just the name' }],
    reported: 11,
  },
  { recording: 'mistral/nonstream_text', messages: [{ role: 'user', content: "What's 2 + 2?" }], reported: 23 },
  { recording: 'mistral/stream_text', messages: [{ role: 'user', content: 'Count from 1 to 3' }], reported: 22 },
  {
    recording: 'mistral/stream_thinking_content_chunks',
    messages: [{ role: 'user', content: 'What is 12 * 12? Answer with just the number.' }],
    reported: 31,
  },
  { recording: 'openai/nonstream_text', messages: [{ role: 'user', content: 'What is 4200 + 42?' }], reported: 15 },
  { recording: 'openai/stream_finish_length', messages: [{ role: 'user', content: 'List all U.S. states.' }], reported: 13 },
  { recording: 'openai/stream_text_include_usage', messages: [{ role: 'user', content: 'Say "hello world"' }], reported: 11 },
];

describe('estimatePromptTokens', () => {
  it.each(RECORDED)('is at least what $recording reported', ({ messages, reported }) => {
    expect(estimatePromptTokens(messages)).toBeGreaterThanOrEqual(reported);
  });

  it('counts English text at 3 characters a token, above the ~4 real tokenizers average', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(100);
    const framing = estimatePromptTokens([{ role: 'user', content: '' }]);
    expect(estimatePromptTokens([{ role: 'user', content: text }]) - framing).toBe(Math.ceil(text.length / 3));
  });

  it('counts non-ASCII text by UTF-8 bytes, so CJK and emoji are not under-estimated', () => {
    const framing = estimatePromptTokens([{ role: 'user', content: '' }]);
    // 10 CJK characters = 30 UTF-8 bytes → 15 tokens; one emoji (a surrogate pair) = 4 bytes → 2.
    expect(estimatePromptTokens([{ role: 'user', content: '日本語のテキストです' }]) - framing).toBe(15);
    expect(estimatePromptTokens([{ role: 'user', content: '😀' }]) - framing).toBe(2);
    expect(estimatePromptTokens([{ role: 'user', content: 'é' }]) - framing).toBe(1);
  });

  it('adds framing per message', () => {
    const one = estimatePromptTokens([{ role: 'user', content: 'hi' }]);
    const two = estimatePromptTokens([
      { role: 'system', content: '' },
      { role: 'user', content: 'hi' },
    ]);
    expect(two).toBeGreaterThan(one);
  });
});

describe('estimateCall', () => {
  const call = (overrides: Partial<PlannedCall>): PlannedCall => ({
    provider: 'openai',
    model: 'gpt-4o-mini',
    pricing: { input: 0.15, output: 0.6 },
    request: { messages: [{ role: 'user', content: 'hello' }] },
    defaultMaxTokens: 16_384,
    ...overrides,
  });

  it('is prompt tokens × input price + max_tokens × output price', () => {
    const estimate = estimateCall(call({ request: { messages: [{ role: 'user', content: 'hello' }], maxTokens: 1000 } }));
    expect(estimate.outputTokens).toBe(1000);
    expect(estimate.costUsd).toBeCloseTo((estimate.inputTokens * 0.15 + 1000 * 0.6) / 1e6, 12);
  });

  it("uses the model's max_tokens from models.yaml when the request sets none, then a fallback", () => {
    expect(estimateCall(call({})).outputTokens).toBe(16_384);
    expect(estimateCall(call({ defaultMaxTokens: undefined })).outputTokens).toBe(FALLBACK_MAX_TOKENS);
  });

  it('cannot price an unpriced model', () => {
    expect(estimateCall(call({ pricing: undefined })).costUsd).toBeUndefined();
  });
});

describe('estimateUsage', () => {
  it('counts the prompt as the budget estimate does and the reply on the same high side', () => {
    const messages: Message[] = [{ role: 'user', content: 'hello' }];
    expect(estimateUsage(messages, '1, 2, 3, 4, 5')).toEqual({ inputTokens: estimatePromptTokens(messages), outputTokens: 5 });
    // Three bytes per CJK character, one token per two bytes; a 4-byte emoji is two tokens.
    expect(estimateUsage(messages, '你好😀').outputTokens).toBe(5);
  });

  it('never comes in under what a vendor reported for the recorded no-usage stream', () => {
    // deepseek/stream_text_no_stream_options: usage still came on its finish chunk, 12 prompt tokens.
    const recorded = RECORDED.find((entry) => entry.recording === 'deepseek/stream_text_no_stream_options')!;
    expect(estimateUsage(recorded.messages, '').inputTokens).toBeGreaterThanOrEqual(recorded.reported);
  });
});

describe('minimumPromptTokens', () => {
  const user = (content: string): Message[] => [{ role: 'user', content }];

  it('never comes in over what vendors reported for the recorded prompts', () => {
    for (const { messages, reported } of RECORDED) expect(minimumPromptTokens(messages)).toBeLessThanOrEqual(reported);
  });

  it('counts no whitespace, so deeply indented text cannot look bigger than it is', () => {
    expect(minimumPromptTokens(user(`${' '.repeat(4000)}\n\t\t`))).toBe(0);
    expect(minimumPromptTokens(user('abcdefgh ijklmnop'))).toBe(2);
  });

  it('counts a character outside the BMP once', () => {
    expect(minimumPromptTokens(user('😀'.repeat(16)))).toBe(2);
  });

  it('stays far below the budget estimate on prose', () => {
    const prose = user('The quick brown fox jumps over the lazy dog. '.repeat(1000));
    expect(minimumPromptTokens(prose) * 3).toBeLessThan(estimatePromptTokens(prose));
  });
});

describe('estimateCall with tools', () => {
  it('counts the tool definitions and the calls made so far as input', () => {
    const base = { provider: 'p', model: 'm', pricing: undefined, defaultMaxTokens: 100 };
    const messages = [{ role: 'user' as const, content: 'hi' }];
    const plain = estimateCall({ ...base, request: { messages } }).inputTokens;
    const schema = { type: 'object', properties: { path: { type: 'string', description: 'x'.repeat(300) } } };
    const withTools = estimateCall({ ...base, request: { messages, tools: [{ name: 'fs.read_file', inputSchema: schema }] } }).inputTokens;
    expect(withTools).toBeGreaterThan(plain + 100);
    const called = estimateCall({
      ...base,
      request: {
        messages: [
          ...messages,
          { role: 'assistant' as const, content: '', toolCalls: [{ id: '1', name: 'fs.read_file', arguments: { path: 'y'.repeat(300) } }] },
        ],
      },
    }).inputTokens;
    expect(called).toBeGreaterThan(plain + 100);
  });
});
