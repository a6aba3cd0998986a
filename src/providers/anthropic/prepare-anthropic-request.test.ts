import { describe, expect, it } from 'vitest';
import type { ToolChoice } from '../spec.js';
import { DEFAULT_MAX_TOKENS, prepareAnthropicRequest } from './prepare-anthropic-request.js';

const settings = (modelId: string, capabilities: string[] = []) => ({ provider: 'work', modelId, capabilities: new Set(capabilities) });

describe('prepareAnthropicRequest', () => {
  it('asks for max_tokens 4096 when the request sets none, since Anthropic requires it', () => {
    const { params, warnings } = prepareAnthropicRequest(settings('claude-haiku-4-5'), { messages: [{ role: 'user', content: 'Hi' }] });
    expect(params).toEqual({ model: 'claude-haiku-4-5', max_tokens: DEFAULT_MAX_TOKENS, messages: [{ role: 'user', content: 'Hi' }] });
    expect(DEFAULT_MAX_TOKENS).toBe(4096);
    expect(warnings).toEqual([]);
  });

  it('sends maxTokens, the hoisted system prompt and stop sequences', () => {
    const { params } = prepareAnthropicRequest(settings('claude-haiku-4-5'), {
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      maxTokens: 100,
      stop: ['```'],
    });
    expect(params).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
      stop_sequences: ['```'],
    });
  });

  it('leaves out an empty stop list', () => {
    const { params } = prepareAnthropicRequest(settings('m'), { messages: [{ role: 'user', content: 'Hi' }], stop: [] });
    expect(params).not.toHaveProperty('stop_sequences');
  });

  it('turns a temperature, which the Anthropic API no longer accepts, into a warning', () => {
    const { params, warnings } = prepareAnthropicRequest(settings('m'), { messages: [{ role: 'user', content: 'Hi' }], temperature: 0.2 });
    expect(params).not.toHaveProperty('temperature');
    expect(warnings).toEqual([
      { type: 'unsupported', provider: 'work', feature: 'temperature', details: 'the Anthropic API no longer accepts it; it was ignored' },
    ]);
  });

  it("adds providerOptions.anthropic fields, but never lets them replace llmo's own", () => {
    const { params } = prepareAnthropicRequest(settings('claude-sonnet-4-5'), {
      messages: [{ role: 'user', content: 'Hi' }],
      maxTokens: 2000,
      providerOptions: {
        anthropic: { thinking: { type: 'adaptive' }, model: 'other-model', max_tokens: 1 },
        openai: { reasoning_effort: 'high' },
      },
    });
    expect(params).toEqual({
      thinking: { type: 'adaptive' },
      model: 'claude-sonnet-4-5',
      max_tokens: 2000,
      messages: [{ role: 'user', content: 'Hi' }],
    });
  });

  const hi = [{ role: 'user' as const, content: 'Hi' }];
  const search = {
    name: 'web.search',
    description: 'Search the web',
    inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
  };

  it('sends tools with encoded names, and each tool choice in Anthropic words', () => {
    const prepared = (toolChoice?: ToolChoice) =>
      prepareAnthropicRequest(settings('m'), { messages: hi, tools: [search], ...(toolChoice ? { toolChoice } : {}) });
    expect(prepared().params.tools).toEqual([{ name: 'web__search', description: 'Search the web', input_schema: search.inputSchema }]);
    expect(prepared().params).not.toHaveProperty('tool_choice');
    expect(prepared('auto').params.tool_choice).toEqual({ type: 'auto' });
    expect(prepared('none').params.tool_choice).toEqual({ type: 'none' });
    expect(prepared('required').params.tool_choice).toEqual({ type: 'any' });
    expect(prepared({ type: 'tool', name: 'web.search' }).params.tool_choice).toEqual({ type: 'tool', name: 'web__search' });
    expect(prepared().toolNames.decode('web__search')).toBe('web.search');
  });

  it('asks a model with json_schema for output_config.format, keeping other output_config settings', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
    const { params, outputToolName } = prepareAnthropicRequest(settings('m', ['json_schema']), {
      messages: hi,
      responseFormat: { type: 'json', schema },
      providerOptions: { anthropic: { output_config: { effort: 'low' } } },
    });
    expect(params.output_config).toEqual({ effort: 'low', format: { type: 'json_schema', schema } });
    expect(params).not.toHaveProperty('tools');
    expect(outputToolName).toBeUndefined();
  });

  it('forces an output tool for JSON where the model has no json_schema, or there is no schema', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const withSchema = prepareAnthropicRequest(settings('m'), { messages: hi, responseFormat: { type: 'json', schema, name: 'answer' } });
    expect(withSchema.params).toMatchObject({
      tools: [{ name: 'answer', input_schema: schema }],
      tool_choice: { type: 'tool', name: 'answer', disable_parallel_tool_use: true },
    });
    expect(withSchema.params).not.toHaveProperty('output_config');
    expect(withSchema.outputToolName).toBe('answer');

    const noSchema = prepareAnthropicRequest(settings('m', ['json_schema']), { messages: hi, responseFormat: { type: 'json' } });
    expect(noSchema.params.tools).toMatchObject([{ name: 'json_output', input_schema: { type: 'object' } }]);
    expect(noSchema.outputToolName).toBe('json_output');
  });

  it("offers the output tool beside the request's tools (the model must call one), but alone when tools are refused", () => {
    const both = prepareAnthropicRequest(settings('m'), {
      messages: hi,
      tools: [search],
      responseFormat: { type: 'json', name: 'web__search' },
    });
    expect(both.params.tools?.map((tool) => ('name' in tool ? tool.name : ''))).toEqual(['web__search', 'web__search_2']);
    expect(both.params.tool_choice).toEqual({ type: 'any' });
    expect(both.outputToolName).toBe('web__search_2');

    const refused = prepareAnthropicRequest(settings('m'), {
      messages: hi,
      tools: [search],
      toolChoice: 'none',
      responseFormat: { type: 'json' },
    });
    expect(refused.params.tools?.map((tool) => ('name' in tool ? tool.name : ''))).toEqual(['json_output']);
    expect(refused.params.tool_choice).toMatchObject({ type: 'tool', name: 'json_output' });
  });
});
