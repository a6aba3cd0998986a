import { shippedCapabilities } from './openai-fake.test-support.js';
import { describe, expect, it } from 'vitest';
import { prepareOpenAIRequest } from './prepare-openai-request.js';

const messages = [{ role: 'user' as const, content: 'Say "hello world"' }];

describe('prepareOpenAIRequest', () => {
  it('sends max_completion_tokens to OpenAI, as the recorded SDK requests do', () => {
    const { body, warnings } = prepareOpenAIRequest(
      { messages, maxTokens: 500 },
      { provider: 'openai', modelId: 'gpt-5-mini', capabilities: shippedCapabilities('openai', 'gpt-5-mini') },
    );
    // stream_text_include_usage.meta.json, minus stream/stream_options which the model adds.
    expect(body).toEqual({ model: 'gpt-5-mini', messages, max_completion_tokens: 500 });
    expect(warnings).toEqual([]);
  });

  it('sends max_tokens, temperature and stop to other providers', () => {
    const { body } = prepareOpenAIRequest(
      { messages, maxTokens: 1024, temperature: 0.7, stop: ['\n\n'] },
      { provider: 'deepseek', modelId: 'deepseek-chat' },
    );
    expect(body).toEqual({ model: 'deepseek-chat', messages, max_tokens: 1024, temperature: 0.7, stop: ['\n\n'] });
  });

  it('keeps temperature for OpenAI chat models', () => {
    const { body, warnings } = prepareOpenAIRequest(
      { messages, temperature: 0.2 },
      { provider: 'openai', modelId: 'gpt-4o-mini', capabilities: shippedCapabilities('openai', 'gpt-4o-mini') },
    );
    expect(body.temperature).toBe(0.2);
    expect(warnings).toEqual([]);
  });

  it('drops temperature with a warning for OpenAI reasoning models', () => {
    const { body, warnings } = prepareOpenAIRequest(
      { messages, temperature: 0.2 },
      { provider: 'openai', modelId: 'gpt-5-mini', capabilities: shippedCapabilities('openai', 'gpt-5-mini') },
    );
    expect(body).not.toHaveProperty('temperature');
    expect(warnings).toEqual([
      {
        type: 'unsupported',
        provider: 'openai',
        feature: 'temperature',
        details: 'gpt-5-mini takes only the default temperature; it was not sent',
      },
    ]);
  });

  it('sends only four stop sequences to OpenAI, with a warning', () => {
    const { body, warnings } = prepareOpenAIRequest(
      { messages, stop: ['a', 'b', 'c', 'd', 'e'] },
      { provider: 'openai', modelId: 'gpt-4o-mini', capabilities: shippedCapabilities('openai', 'gpt-4o-mini') },
    );
    expect(body.stop).toEqual(['a', 'b', 'c', 'd']);
    expect(warnings).toHaveLength(1);
  });

  it('omits an empty stop list', () => {
    expect(prepareOpenAIRequest({ messages, stop: [] }, { provider: 'compat', modelId: 'llama3' }).body).not.toHaveProperty('stop');
  });

  it('passes providerOptions through, the provider-named ones over the adapter-wide ones', () => {
    const { body, warnings } = prepareOpenAIRequest(
      {
        messages,
        providerOptions: {
          openai: { reasoning_effort: 'low', seed: 1 },
          deepseek: { reasoning_effort: 'high', thinking: { type: 'enabled' } },
          anthropic: { ignored: true },
        },
      },
      { provider: 'deepseek', modelId: 'deepseek-v4-pro' },
    );
    expect(body).toEqual({
      model: 'deepseek-v4-pro',
      messages,
      reasoning_effort: 'high',
      seed: 1,
      thinking: { type: 'enabled' },
    });
    expect(warnings).toEqual([]);
  });

  it('refuses to let providerOptions replace the fields llmo owns', () => {
    const { body, warnings } = prepareOpenAIRequest(
      { messages, providerOptions: { openai: { stream: false, model: 'other' } } },
      { provider: 'openai', modelId: 'gpt-4o-mini', capabilities: shippedCapabilities('openai', 'gpt-4o-mini') },
    );
    expect(body.model).toBe('gpt-4o-mini');
    expect(body).not.toHaveProperty('stream');
    expect(warnings.map((warning) => warning.type === 'unsupported' && warning.feature)).toEqual([
      'providerOptions.stream',
      'providerOptions.model',
    ]);
  });
});

describe('prepareOpenAIRequest: capabilities, not names', () => {
  it('a provider called `work` with the same capabilities sends what `openai` sends', () => {
    const capabilities = new Set(['max_completion_tokens', 'no_temperature', 'json_schema']);
    const request = { messages, maxTokens: 100, temperature: 0.5 };
    const asOpenAI = prepareOpenAIRequest(request, { provider: 'openai', modelId: 'gpt-5-mini', capabilities });
    const asWork = prepareOpenAIRequest(request, { provider: 'work', modelId: 'gpt-5-mini', capabilities });
    expect(asWork.body).toEqual(asOpenAI.body);
    expect(asWork.body).toEqual({ model: 'gpt-5-mini', messages, max_completion_tokens: 100 });
    expect(asWork.warnings.map((warning) => ({ ...warning, provider: 'openai' }))).toEqual(asOpenAI.warnings);
  });

  it('`openai` without the max_completion_tokens capability sends max_tokens', () => {
    const { body } = prepareOpenAIRequest({ messages, maxTokens: 100 }, { provider: 'openai', modelId: 'gpt-4o', capabilities: new Set() });
    expect(body).toEqual({ model: 'gpt-4o', messages, max_tokens: 100 });
  });
});

describe('prepareOpenAIRequest: tools', () => {
  const tools = [
    { name: 'fs.read_file', description: 'Reads a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } },
    {
      name: 'get_time',
      inputSchema: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'], additionalProperties: false },
    },
  ];

  it('maps tools with encoded names, strict only where the schema allows it, and a named tool_choice', () => {
    const { body } = prepareOpenAIRequest(
      { messages, tools, toolChoice: { type: 'tool', name: 'fs.read_file' } },
      { provider: 'openai', modelId: 'gpt-4o', capabilities: shippedCapabilities('openai', 'gpt-4o') },
    );
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'fs__read_file', description: 'Reads a file', parameters: tools[0]?.inputSchema } },
      { type: 'function', function: { name: 'get_time', parameters: tools[1]?.inputSchema, strict: true } },
    ]);
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'fs__read_file' } });
  });

  it.each(['auto', 'none', 'required'] as const)('tool_choice %s passes as it is', (toolChoice) => {
    expect(prepareOpenAIRequest({ messages, tools, toolChoice }, { provider: 'compat', modelId: 'm' }).body.tool_choice).toBe(toolChoice);
  });

  it('sends no tool_choice when none is asked for, and no strict functions to json_object_only models', () => {
    const { body } = prepareOpenAIRequest(
      { messages, tools },
      { provider: 'd', modelId: 'm', capabilities: new Set(['json_object_only']) },
    );
    expect(body).not.toHaveProperty('tool_choice');
    expect(body.tools?.map((tool) => (tool.type === 'function' ? tool.function.strict : 'custom'))).toEqual([undefined, undefined]);
  });

  it('encodes the names of earlier calls the same way, and words a failed result as an error', () => {
    const { body } = prepareOpenAIRequest(
      {
        messages: [
          ...messages,
          { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'fs.read_file', arguments: { path: 'x' } }] },
          { role: 'tool', results: [{ toolCallId: 'c1', name: 'fs.read_file', content: 'no such file', isError: true }] },
        ],
        tools,
      },
      { provider: 'openai', modelId: 'gpt-4o', capabilities: shippedCapabilities('openai', 'gpt-4o') },
    );
    expect(body.messages.slice(1)).toEqual([
      { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'fs__read_file', arguments: '{"path":"x"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'Error: no such file' },
    ]);
  });
});

describe('prepareOpenAIRequest: structured output', () => {
  const schema = { type: 'object', properties: { result: { type: 'number' } }, required: ['result'], additionalProperties: false };

  it('json_schema, strict, named, with a description', () => {
    const { body, warnings } = prepareOpenAIRequest(
      { messages, responseFormat: { type: 'json', schema, name: 'Answer', description: 'The answer' } },
      { provider: 'openai', modelId: 'gpt-4o', capabilities: shippedCapabilities('openai', 'gpt-4o') },
    );
    expect(body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'Answer', schema, strict: true, description: 'The answer' },
    });
    expect(body.messages).toEqual(messages);
    expect(warnings).toEqual([]);
  });

  it('a schema strict mode cannot take goes out non-strict, with a warning; a missing name gets one', () => {
    const open = { type: 'object', properties: { result: { type: 'number' } } };
    const { body, warnings } = prepareOpenAIRequest(
      { messages, responseFormat: { type: 'json', schema: open } },
      { provider: 'openai', modelId: 'gpt-4o', capabilities: shippedCapabilities('openai', 'gpt-4o') },
    );
    expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'response', schema: open, strict: false } });
    expect(warnings).toMatchObject([{ type: 'unsupported', provider: 'openai', feature: 'strict JSON schema' }]);
  });

  it('json_object_only: json_object, the schema in a system message after the leading ones, and a warning', () => {
    const { body, warnings } = prepareOpenAIRequest(
      { messages: [{ role: 'system', content: 'Be brief.' }, ...messages], responseFormat: { type: 'json', schema, name: 'Answer' } },
      { provider: 'deepseek', modelId: 'deepseek-chat', capabilities: new Set(['json_object_only']) },
    );
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'system',
        content: `Reply with one JSON object and nothing else.\nThe object must match this JSON Schema (Answer):\n${JSON.stringify(schema)}`,
      },
      ...messages,
    ]);
    expect(warnings).toMatchObject([{ type: 'unsupported', provider: 'deepseek', feature: 'JSON schema' }]);
  });

  it('JSON without a schema: json_object, asking for JSON only when the prompt does not already', () => {
    const plain = prepareOpenAIRequest(
      { messages, responseFormat: { type: 'json' } },
      { provider: 'openai', modelId: 'gpt-4o', capabilities: shippedCapabilities('openai', 'gpt-4o') },
    );
    expect(plain.body.response_format).toEqual({ type: 'json_object' });
    expect(plain.body.messages[0]).toEqual({ role: 'system', content: 'Reply with one JSON object and nothing else.' });
    const asked = [{ role: 'user' as const, content: 'Answer with a JSON object with the key `result`.' }];
    expect(
      prepareOpenAIRequest(
        { messages: asked, responseFormat: { type: 'json' } },
        { provider: 'openai', modelId: 'gpt-4o', capabilities: shippedCapabilities('openai', 'gpt-4o') },
      ).body.messages,
    ).toEqual(asked);
  });
});

describe('prepareOpenAIRequest: content parts', () => {
  it('images as data URLs or URLs, PDFs as file_data; a PDF by URL is left out with a warning', () => {
    const { body, warnings } = prepareOpenAIRequest(
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Look' },
              { type: 'image', mediaType: 'image/png', source: { type: 'bytes', data: new Uint8Array([1, 2, 3]) } },
              { type: 'image', mediaType: 'image/jpeg', source: { type: 'url', url: 'https://example.com/a.jpg' } },
              { type: 'document', mediaType: 'application/pdf', source: { type: 'bytes', data: new Uint8Array([37, 80]) } },
              { type: 'document', mediaType: 'application/pdf', source: { type: 'url', url: 'https://example.com/a.pdf' } },
            ],
          },
        ],
      },
      { provider: 'openai', modelId: 'gpt-4o', capabilities: shippedCapabilities('openai', 'gpt-4o') },
    );
    expect(body.messages[0]?.content).toEqual([
      { type: 'text', text: 'Look' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AQID' } },
      { type: 'image_url', image_url: { url: 'https://example.com/a.jpg' } },
      { type: 'file', file: { file_data: 'data:application/pdf;base64,JVA=', filename: 'document.pdf' } },
    ]);
    expect(warnings).toMatchObject([{ type: 'unsupported', provider: 'openai', feature: 'PDF documents by URL' }]);
  });
});
