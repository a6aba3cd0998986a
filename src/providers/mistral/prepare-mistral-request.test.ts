import { describe, expect, it } from 'vitest';
import type { ModelRequest } from '../spec.js';
import { prepareMistralRequest } from './prepare-mistral-request.js';

const TARGET = { provider: 'mistral', modelId: 'mistral-small-latest' };
const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'Count from 1 to 3' }] };

describe('prepareMistralRequest', () => {
  it('leaves out what the request does not set', () => {
    const { body, warnings } = prepareMistralRequest(TARGET, REQUEST);
    expect(body).toEqual({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'Count from 1 to 3' }] });
    expect(warnings).toEqual([]);
  });

  it('passes the known providerOptions.mistral keys and warns about the rest', () => {
    const { body, warnings } = prepareMistralRequest(TARGET, {
      ...REQUEST,
      stop: [],
      providerOptions: { mistral: { reasoningEffort: 'high', safePrompt: true, logprobs: true }, anthropic: { thinking: {} } },
    });
    expect(body).toEqual({ ...prepareMistralRequest(TARGET, REQUEST).body, reasoningEffort: 'high', safePrompt: true });
    expect(warnings).toEqual([
      { type: 'unsupported', provider: 'mistral', feature: 'providerOptions.mistral.logprobs', details: expect.any(String) },
    ]);
  });

  it('sends no tool choice without tools', () => {
    expect(prepareMistralRequest(TARGET, { ...REQUEST, toolChoice: 'required' }).body).not.toHaveProperty('toolChoice');
  });

  it('adds the schema to an existing system message when only json_object is available', () => {
    const { body } = prepareMistralRequest(
      { ...TARGET, capabilities: new Set(['json_object_only']) },
      {
        messages: [{ role: 'system', content: 'Be brief.' }, ...REQUEST.messages],
        responseFormat: { type: 'json', schema: { type: 'object' } },
      },
    );
    expect(body.messages[0]).toEqual({
      role: 'system',
      content: expect.stringMatching(/^Be brief\.\n\nAnswer with one JSON object .*\{"type":"object"\}$/s),
    });
    expect(body.responseFormat).toEqual({ type: 'json_object' });
  });
});

describe('prepareMistralRequest with PDFs', () => {
  it('leaves out a PDF URL Mistral cannot read, with a warning; https and bytes go as document_url', () => {
    const { body, warnings } = prepareMistralRequest(TARGET, {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Summarise' },
            { type: 'document', mediaType: 'application/pdf', source: { type: 'url', url: 'http://intranet/a.pdf' } },
            { type: 'document', mediaType: 'application/pdf', source: { type: 'url', url: 'https://example.com/b.pdf' } },
            { type: 'document', mediaType: 'application/pdf', source: { type: 'bytes', data: new Uint8Array([37, 80]) } },
          ],
        },
      ],
    });
    expect(body.messages[0]?.content).toEqual([
      { type: 'text', text: 'Summarise' },
      { type: 'document_url', documentUrl: 'https://example.com/b.pdf' },
      { type: 'document_url', documentUrl: 'data:application/pdf;base64,JVA=' },
    ]);
    expect(warnings).toEqual([
      {
        type: 'unsupported',
        provider: 'mistral',
        feature: 'PDF URLs other than https',
        details: 'a PDF at a http: URL was left out; attach the file itself instead',
      },
    ]);
  });
});
