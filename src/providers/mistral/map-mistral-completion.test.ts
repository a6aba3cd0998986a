import type { ChatCompletionResponse } from '@mistralai/mistralai/models/components/chatcompletionresponse.js';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../spec.js';
import { createToolNameCodec } from '../tool-names.js';
import { mapMistralCompletion } from './map-mistral-completion.js';

const codec = createToolNameCodec(['fs.read']);
const context = { provider: 'work', requestId: 'req-1', apiKey: 'mistral-secret-0123456789' };

function completion(message: Record<string, unknown>, finishReason = 'stop'): ChatCompletionResponse {
  return {
    id: 'c1',
    object: 'chat.completion',
    model: 'mistral-small-latest',
    created: 0,
    usage: { promptTokens: 10, completionTokens: 4, totalTokens: 14 },
    choices: [{ index: 0, finishReason, message: { role: 'assistant', ...message } }],
  } as ChatCompletionResponse;
}

describe('mapMistralCompletion', () => {
  it('reads thinking and text apart, decodes tool calls, and carries the request id', () => {
    const response = completion(
      {
        content: [
          { type: 'thinking', thinking: [{ type: 'text', text: 'Hmm.' }] },
          { type: 'text', text: 'Reading it.' },
        ],
        toolCalls: [{ id: 'call1', function: { name: 'fs__read', arguments: '{"path":"a.txt"}' } }],
      },
      'tool_calls',
    );
    expect(mapMistralCompletion(response, context, codec)).toEqual({
      text: 'Reading it.',
      reasoning: 'Hmm.',
      toolCalls: [{ id: 'call1', name: 'fs.read', arguments: { path: 'a.txt' } }],
      finishReason: 'tool-calls',
      usage: { inputTokens: 10, outputTokens: 4 },
      responseModel: 'mistral-small-latest',
      requestId: 'req-1',
    });
  });

  it('turns arguments that are not a JSON object into a provider error, not retried, with no key in it', () => {
    const response = completion({ content: '', toolCalls: [{ id: 'call1', function: { name: 'fs__read', arguments: '[1, 2]' } }] });
    let thrown: unknown;
    try {
      mapMistralCompletion(response, context, codec);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProviderError);
    expect((thrown as ProviderError).message).toBe(
      'work: unreadable tool call: the arguments of fs.read are not a JSON object: [1, 2] (request id req-1)',
    );
    expect((thrown as ProviderError).retryable).toBe(false);
    expect((thrown as ProviderError).message).not.toContain(context.apiKey);
  });
});
