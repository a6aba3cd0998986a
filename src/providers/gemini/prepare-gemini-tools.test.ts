import { describe, expect, it } from 'vitest';
import type { ModelRequest } from '../spec.js';
import { createToolNameCodec } from '../tool-names.js';
import { prepareGeminiTools } from './prepare-gemini-tools.js';

const tools = [
  { name: 'mcp.search', description: 'Searches', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } },
  { name: 'clock', inputSchema: { type: 'object', properties: {} } },
];
const prepare = (request: Omit<ModelRequest, 'messages'>) =>
  prepareGeminiTools({ messages: [], ...request }, createToolNameCodec((request.tools ?? []).map((tool) => tool.name)));

describe('prepareGeminiTools', () => {
  it('sends nothing without tools, whatever the choice', () => {
    expect(prepare({})).toEqual({});
    expect(prepare({ toolChoice: 'required' })).toEqual({});
  });

  it('declares every tool in one functionDeclarations tool, schema as parametersJsonSchema, names encoded', () => {
    expect(prepare({ tools })).toEqual({
      tools: [
        {
          functionDeclarations: [
            { name: 'mcp__search', description: 'Searches', parametersJsonSchema: tools[0]!.inputSchema },
            { name: 'clock', parametersJsonSchema: tools[1]!.inputSchema },
          ],
        },
      ],
    });
  });

  it.each([
    ['auto', undefined],
    ['none', { functionCallingConfig: { mode: 'NONE' } }],
    ['required', { functionCallingConfig: { mode: 'ANY' } }],
    [{ type: 'tool', name: 'mcp.search' }, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['mcp__search'] } }],
  ] as const)('maps toolChoice %j to toolConfig %j', (toolChoice, toolConfig) => {
    expect(prepare({ tools, toolChoice }).toolConfig).toEqual(toolConfig);
  });
});
