import type Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../spec.js';
import { createToolNameCodec } from '../tool-names.js';
import { readRecordedEvents, readRecordedStream, readRecording } from './anthropic-recordings.test-support.js';
import {
  type AnthropicStreamContext,
  type AnthropicStreamState,
  initialAnthropicStreamState,
  mapAnthropicStreamEvent,
} from './map-anthropic-stream-event.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';
import { mapAnthropicUsage } from './map-anthropic-usage.js';

function fold(
  events: Anthropic.RawMessageStreamEvent[],
  context?: AnthropicStreamContext,
): { state: AnthropicStreamState; parts: StreamPart[] } {
  let state = initialAnthropicStreamState;
  const parts: StreamPart[] = [];
  for (const event of events) {
    const mapped = mapAnthropicStreamEvent(state, event, context);
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

  it('maps the recorded parallel tool calls to start, argument deltas and the parsed call, each in order', () => {
    const { state, parts } = fold(readRecordedStream('stream_tool_use_parallel_with_args.sse'));
    const first = 'toolu_01NW9V1YCeF2aaDjiUnTSUH1';
    const second = 'toolu_015k2gzpZWrWT7ZKrmd1sPRg';
    expect(parts).toEqual([
      { type: 'tool-call-start', id: first, name: 'secret_retrieval_tool' },
      { type: 'tool-call-delta', id: first, argumentsDelta: '{"password":' },
      { type: 'tool-call-delta', id: first, argumentsDelta: ' "mellon"}' },
      { type: 'tool-call', toolCall: { id: first, name: 'secret_retrieval_tool', arguments: { password: 'mellon' } } },
      { type: 'tool-call-start', id: second, name: 'secret_retrieval_tool' },
      ...['{"pa', 'ssw', 'ord": ', '"radi', 'ance"}'].map((argumentsDelta) => ({ type: 'tool-call-delta', id: second, argumentsDelta })),
      { type: 'tool-call', toolCall: { id: second, name: 'secret_retrieval_tool', arguments: { password: 'radiance' } } },
    ]);
    expect(state.toolCallCount).toBe(2);
    expect(state.openToolBlocks.size).toBe(0);
    expect(mapAnthropicFinishReason(state.stopReason, state.toolCallCount)).toBe('tool-calls');
    expect(mapAnthropicUsage(state.usage)?.outputTokens).toBe(98);
  });

  it('gives a tool that streamed only an empty argument string the arguments {}', () => {
    const { state, parts } = fold(readRecordedStream('stream_tool_use_no_args.sse'));
    expect(parts.filter((part) => part.type === 'tool-call-delta')).toEqual([]);
    expect(parts.filter((part) => part.type === 'tool-call')).toEqual([
      { type: 'tool-call', toolCall: { id: 'toolu_01LtHJmixrs9NcWQkK8hu8hj', name: 'pelican_name_generator', arguments: {} } },
      { type: 'tool-call', toolCall: { id: 'toolu_01N8a4jWyf116qKTMqKKmjyt', name: 'pelican_name_generator', arguments: {} } },
    ]);
    expect(mapAnthropicFinishReason(state.stopReason, state.toolCallCount)).toBe('tool-calls');
  });

  it('decodes the wire names of tool calls back to the names the request used', () => {
    const toolNames = createToolNameCodec(['vault.secret_retrieval_tool']);
    const events = readRecordedStream('stream_tool_use_parallel_with_args.sse').map((event) =>
      event.type === 'content_block_start' && event.content_block.type === 'tool_use'
        ? ({
            ...event,
            content_block: { ...event.content_block, name: toolNames.encode('vault.secret_retrieval_tool') },
          } as Anthropic.RawMessageStreamEvent)
        : event,
    );
    const { parts } = fold(events, { provider: 'anthropic', toolNames });
    expect(parts.filter((part) => part.type === 'tool-call-start').map((part) => part.name)).toEqual([
      'vault.secret_retrieval_tool',
      'vault.secret_retrieval_tool',
    ]);
  });

  it('turns the structured-output tool of the recorded forced-tool stream into the JSON text, finishing with stop', () => {
    const outputToolName = '__mirascope_formatted_output_tool__';
    const { state, parts } = fold(readRecordedStream('stream_forced_tool_structured.sse'), {
      provider: 'anthropic',
      toolNames: createToolNameCodec([]),
      outputToolName,
    });
    expect(parts).toEqual([
      {
        type: 'text-delta',
        text: JSON.stringify({ title: 'THE NAME OF THE WIND', author: { firstName: 'Patrick', lastName: 'Rothfuss' }, rating: 7 }),
      },
    ]);
    expect(state.toolCallCount).toBe(0);
    expect(mapAnthropicFinishReason(state.stopReason, state.toolCallCount)).toBe('stop');
  });

  it("ends with an error part when a tool call's arguments are not a JSON object", () => {
    const events = [
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"a":' } },
      { type: 'content_block_stop', index: 0 },
    ] as Anthropic.RawMessageStreamEvent[];
    const last = fold(events).parts.at(-1);
    expect(last?.type).toBe('error');
    expect(last?.type === 'error' && last.error.message).toBe(
      'anthropic: the tool call f (toolu_1) arrived with arguments that are not a JSON object',
    );
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
