import { describe, expect, it } from 'vitest';
import { readRecordedStream, readRecording } from './anthropic-recordings.test-support.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

function recordedStopReason(file: string): string | null {
  const delta = readRecordedStream(file).find((event) => event.type === 'message_delta');
  return delta?.type === 'message_delta' ? delta.delta.stop_reason : null;
}

describe('mapAnthropicFinishReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool-calls'],
    ['refusal', 'content-filter'],
    ['pause_turn', 'other'],
    ['a_reason_from_the_future', 'other'],
  ] as const)('maps %s to %s', (stopReason, expected) => {
    expect(mapAnthropicFinishReason(stopReason)).toBe(expected);
  });

  it('maps a missing stop reason to other', () => {
    expect(mapAnthropicFinishReason(null)).toBe('other');
    expect(mapAnthropicFinishReason(undefined)).toBe('other');
  });

  it('maps the stop reasons of the real recordings', () => {
    expect(mapAnthropicFinishReason(recordedStopReason('stream_text.sse'))).toBe('stop');
    expect(mapAnthropicFinishReason(recordedStopReason('stream_stop_sequence_prefill.sse'))).toBe('stop');
    expect(mapAnthropicFinishReason(recordedStopReason('stream_tool_use_parallel_with_args.sse'))).toBe('tool-calls');
    const message = JSON.parse(readRecording('nonstream_text.json')) as { stop_reason: string };
    expect(mapAnthropicFinishReason(message.stop_reason)).toBe('stop');
  });
});
