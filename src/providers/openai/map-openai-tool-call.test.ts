import { describe, expect, it } from 'vitest';
import { createToolNameCodec } from '../tool-names.js';
import { mapOpenAICompletion } from './map-openai-completion.js';
import { createOpenAIStreamState, finishOpenAIToolCalls, mapOpenAIStreamChunk } from './map-openai-stream-chunk.js';
import { InvalidToolArgumentsError, mapOpenAIToolCalls, parseToolArguments } from './map-openai-tool-call.js';

describe('parseToolArguments', () => {
  it('reads an object, takes no arguments as {}, and refuses anything else', () => {
    expect(parseToolArguments('{"city":"Paris"}')).toEqual({ city: 'Paris' });
    expect(parseToolArguments('')).toEqual({});
    expect(parseToolArguments('{"city":')).toBeUndefined();
    expect(parseToolArguments('[1]')).toBeUndefined();
    expect(parseToolArguments('null')).toBeUndefined();
  });
});

describe('mapOpenAIToolCalls', () => {
  it('decodes names, parses arguments, and reads arguments some servers send as objects', () => {
    const codec = createToolNameCodec(['fs.read_file']);
    expect(
      mapOpenAIToolCalls(
        [
          { id: 'call_x', type: 'function', function: { name: 'fs__read_file', arguments: '{"path":"a"}' } },
          { type: 'function', function: { name: 'other', arguments: { n: 1 } } },
        ],
        codec,
      ),
    ).toEqual([
      { id: 'call_x', name: 'fs.read_file', arguments: { path: 'a' } },
      // No id: one from the call's position.
      { id: 'call_1', name: 'other', arguments: { n: 1 } },
    ]);
  });

  it('throws InvalidToolArgumentsError for arguments that are not a JSON object', () => {
    expect(() => mapOpenAIToolCalls([{ id: 'c', function: { name: 'get_weather', arguments: '{"city":' } }])).toThrow(
      InvalidToolArgumentsError,
    );
  });
});

describe('tool calls in a completion', () => {
  it("ends in 'tool-calls' even when the server says stop (a forced tool_choice)", () => {
    const mapped = mapOpenAICompletion({
      choices: [{ message: { content: null, tool_calls: [{ id: 'c', function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'stop' }],
    });
    expect(mapped).toMatchObject({ toolCalls: [{ id: 'c', name: 'f', arguments: {} }], finishReason: 'tool-calls' });
  });
});

describe('tool calls in a stream', () => {
  it('a whole call in one delta, without index or id, still gets a start, a delta and a finished call', () => {
    const state = createOpenAIStreamState();
    const parts = mapOpenAIStreamChunk(
      { choices: [{ delta: { tool_calls: [{ function: { name: 'get_time', arguments: '{"zone":"UTC"}' } }] } }] },
      state,
    );
    expect(parts).toEqual([
      { type: 'tool-call-start', id: 'call_0', name: 'get_time' },
      { type: 'tool-call-delta', id: 'call_0', argumentsDelta: '{"zone":"UTC"}' },
    ]);
    expect(finishOpenAIToolCalls(state)).toEqual([{ id: 'call_0', name: 'get_time', arguments: { zone: 'UTC' } }]);
    expect(finishOpenAIToolCalls(state)).toEqual([]);
  });

  it('arguments cut short make finishing throw InvalidToolArgumentsError', () => {
    const state = createOpenAIStreamState();
    mapOpenAIStreamChunk(
      { choices: [{ delta: { tool_calls: [{ index: 0, id: 'c', function: { name: 'f', arguments: '{"a' } }] } }] },
      state,
    );
    expect(() => finishOpenAIToolCalls(state)).toThrow(InvalidToolArgumentsError);
  });
});
