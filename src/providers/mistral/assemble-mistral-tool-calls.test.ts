import { describe, expect, it } from 'vitest';
import { createToolNameCodec } from '../tool-names.js';
import {
  convertMistralToolCalls,
  MistralToolCallAssembler,
  parseToolArguments,
  ToolArgumentsError,
} from './assemble-mistral-tool-calls.js';

const names = createToolNameCodec(['fs.read_file', 'weather']);

describe('MistralToolCallAssembler', () => {
  it('a whole call in one delta: start, one delta, and the parsed call when the stream ends', () => {
    const assembler = new MistralToolCallAssembler(names);
    const started = assembler.push({
      id: 'g6fVbXS8K',
      type: 'function',
      function: { name: 'weather', arguments: '{"latitude": "52.5200"}' },
      index: 0,
    });
    expect(started).toEqual([
      { type: 'tool-call-start', id: 'g6fVbXS8K', name: 'weather' },
      { type: 'tool-call-delta', id: 'g6fVbXS8K', argumentsDelta: '{"latitude": "52.5200"}' },
    ]);
    expect(assembler.finish()).toEqual([
      { type: 'tool-call', toolCall: { id: 'g6fVbXS8K', name: 'weather', arguments: { latitude: '52.5200' } } },
    ]);
    expect(assembler.finish()).toEqual([]);
  });

  it('joins arguments split over deltas of one index, and finishes a call when the next begins', () => {
    const assembler = new MistralToolCallAssembler(names);
    const parts = [
      ...assembler.push({ id: 'a', function: { name: 'fs__read_file', arguments: '{"path":' }, index: 0 }),
      ...assembler.push({ function: { name: '', arguments: '"x"}' }, index: 0 }),
      ...assembler.push({ id: 'b', function: { name: 'weather', arguments: '' }, index: 1 }),
      ...assembler.finish(),
    ];
    expect(parts).toEqual([
      { type: 'tool-call-start', id: 'a', name: 'fs.read_file' },
      { type: 'tool-call-delta', id: 'a', argumentsDelta: '{"path":' },
      { type: 'tool-call-delta', id: 'a', argumentsDelta: '"x"}' },
      { type: 'tool-call', toolCall: { id: 'a', name: 'fs.read_file', arguments: { path: 'x' } } },
      { type: 'tool-call-start', id: 'b', name: 'weather' },
      { type: 'tool-call', toolCall: { id: 'b', name: 'weather', arguments: {} } },
    ]);
  });
});

describe('convertMistralToolCalls', () => {
  it('decodes names and parses arguments, text or object', () => {
    expect(
      convertMistralToolCalls(
        [
          { id: 'bAyGEuxg1', function: { name: 'fs__read_file', arguments: '{"path": "a"}' }, index: 0 },
          { id: '5K7IOShCC', function: { name: 'weather', arguments: { city: 'Paris' } }, index: 1 },
        ],
        names,
      ),
    ).toEqual([
      { id: 'bAyGEuxg1', name: 'fs.read_file', arguments: { path: 'a' } },
      { id: '5K7IOShCC', name: 'weather', arguments: { city: 'Paris' } },
    ]);
    expect(convertMistralToolCalls(null, names)).toEqual([]);
  });
});

describe('parseToolArguments', () => {
  it('reads "" and "{}" as no arguments', () => {
    expect(parseToolArguments('t', '')).toEqual({});
    expect(parseToolArguments('t', '{}')).toEqual({});
  });

  it('refuses text that is not a JSON object, naming the tool', () => {
    expect(() => parseToolArguments('weather', '{"city": ')).toThrow(ToolArgumentsError);
    expect(() => parseToolArguments('weather', '[1]')).toThrow('the arguments of weather are not a JSON object');
  });
});
