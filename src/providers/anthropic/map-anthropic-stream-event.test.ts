import type Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../spec.js';
import { readRecordedEvents, readRecordedStream, readRecording } from './anthropic-recordings.test-support.js';
import { type AnthropicStreamState, initialAnthropicStreamState, mapAnthropicStreamEvent } from './map-anthropic-stream-event.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';
import { mapAnthropicUsage } from './map-anthropic-usage.js';

function fold(events: Anthropic.RawMessageStreamEvent[]): { state: AnthropicStreamState; parts: StreamPart[] } {
  let state = initialAnthropicStreamState;
  const parts: StreamPart[] = [];
  for (const event of events) {
    const mapped = mapAnthropicStreamEvent(state, event);
    state = mapped.state;
    parts.push(...mapped.parts);
  }
  return { state, parts };
}

function joined(parts: StreamPart[], type: 'text-delta' | 'reasoning-delta'): string {
  return parts.map((part) => (part.type === type ? part.text : '')).join('');
}

describe('mapAnthropicStreamEvent', () => {
  it('maps the recorded text stream to text deltas, then a complete state', () => {
    const { state, parts } = fold(readRecordedStream('stream_text.sse'));
    expect(parts).toEqual([
      { type: 'text-delta', text: 'hello' },
      { type: 'text-delta', text: ' world' },
    ]);
    expect(state.completed).toBe(true);
    expect(state.responseModel).toBe('claude-haiku-4-5-20251001');
    expect(mapAnthropicFinishReason(state.stopReason)).toBe('stop');
    expect(mapAnthropicUsage(state.usage)).toEqual({ inputTokens: 12, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0 });
  });

  it('maps thinking deltas to reasoning deltas, all before the text, and drops the signature and empty deltas', () => {
    const { state, parts } = fold(readRecordedStream('stream_thinking_then_text.sse'));
    expect(joined(parts, 'reasoning-delta')).toBe('This is a very simple arithmetic question. 2 + 2 = 4. This is basic addition.');
    expect(joined(parts, 'text-delta')).toBe('2 + 2 = 4');
    const firstText = parts.findIndex((part) => part.type === 'text-delta');
    expect(parts.slice(firstText).every((part) => part.type === 'text-delta')).toBe(true);
    expect(parts.every((part) => part.type !== 'reasoning-delta' || part.text !== '')).toBe(true);
    expect(state.usage?.output_tokens).toBe(44);
  });

  it('keeps the stop_sequence stop reason and the text before the stop sequence', () => {
    const { state, parts } = fold(readRecordedStream('stream_stop_sequence_prefill.sse'));
    expect(joined(parts, 'text-delta')).toBe(
      '\ndef pelican():\n    return "A large waterbird with a long bill and a throat pouch for catching fish."\n',
    );
    expect(state.stopReason).toBe('stop_sequence');
    expect(state.completed).toBe(true);
  });

  it('emits no text for tool_use blocks and ends with the tool_use stop reason', () => {
    const { state, parts } = fold(readRecordedStream('stream_tool_use_parallel_with_args.sse'));
    expect(parts).toEqual([]);
    expect(state.stopReason).toBe('tool_use');
    expect(mapAnthropicUsage(state.usage)?.outputTokens).toBe(98);
  });

  it('is not complete when message_stop never came (a cut-off stream)', () => {
    const events = readRecordedStream('stream_text.sse').filter((event) => event.type !== 'message_stop');
    expect(fold(events).state.completed).toBe(false);
    // Cut before message_delta: the stop reason is unknown too.
    const early = readRecordedStream('stream_text.sse').slice(0, 3);
    expect(fold(early).state).toMatchObject({ completed: false, stopReason: null });
  });

  it('reads recordings whose frames carry the real padding spaces before the closing brace', () => {
    const raw = readRecording('stream_text.sse');
    expect(raw).toMatch(/"text":"hello"\} +\}\n/);
    expect(readRecordedEvents('stream_text.sse').map(({ event }) => event)).toContain('ping');
    expect(fold(readRecordedStream('stream_text.sse')).parts).toHaveLength(2);
  });

  it('emits text a block may open with', () => {
    const start = {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: 'Already', citations: null },
    } as Anthropic.RawMessageStreamEvent;
    expect(mapAnthropicStreamEvent(initialAnthropicStreamState, start).parts).toEqual([{ type: 'text-delta', text: 'Already' }]);
  });
});
