import { describe, expect, it } from 'vitest';
import { prepareOpenAIRequest } from './prepare-openai-request.js';

const messages = [{ role: 'user' as const, content: 'Say "hello world"' }];

describe('prepareOpenAIRequest', () => {
  it('sends max_completion_tokens to OpenAI, as the recorded SDK requests do', () => {
    const { body, warnings } = prepareOpenAIRequest({ messages, maxTokens: 500 }, { provider: 'openai', modelId: 'gpt-5-mini' });
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
    const { body, warnings } = prepareOpenAIRequest({ messages, temperature: 0.2 }, { provider: 'openai', modelId: 'gpt-4o-mini' });
    expect(body.temperature).toBe(0.2);
    expect(warnings).toEqual([]);
  });

  it('drops temperature with a warning for OpenAI reasoning models', () => {
    const { body, warnings } = prepareOpenAIRequest({ messages, temperature: 0.2 }, { provider: 'openai', modelId: 'gpt-5-mini' });
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
      { provider: 'openai', modelId: 'gpt-4o-mini' },
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
      { provider: 'openai', modelId: 'gpt-4o-mini' },
    );
    expect(body.model).toBe('gpt-4o-mini');
    expect(body).not.toHaveProperty('stream');
    expect(warnings.map((warning) => warning.type === 'unsupported' && warning.feature)).toEqual([
      'providerOptions.stream',
      'providerOptions.model',
    ]);
  });
});
