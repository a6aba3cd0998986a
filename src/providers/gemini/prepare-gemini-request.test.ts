import { describe, expect, it } from 'vitest';
import { prepareGeminiRequest } from './prepare-gemini-request.js';

const target = { provider: 'work', modelId: 'gemini-2.5-flash' };

describe('prepareGeminiRequest', () => {
  it('puts the system prompt outside the turns and encodes tool names, which the codec decodes back', () => {
    const { parameters, warnings, codec } = prepareGeminiRequest(target, {
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Read a.txt' },
      ],
      tools: [{ name: 'fs.read', inputSchema: { type: 'object' } }],
      maxTokens: 100,
    });
    expect(parameters.model).toBe('gemini-2.5-flash');
    expect(parameters.contents).toEqual([{ role: 'user', parts: [{ text: 'Read a.txt' }] }]);
    expect(parameters.config).toMatchObject({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      maxOutputTokens: 100,
      tools: [{ functionDeclarations: [{ name: 'fs__read', parametersJsonSchema: { type: 'object' } }] }],
    });
    expect(warnings).toEqual([]);
    expect(codec.decode('fs__read')).toBe('fs.read');
  });

  it('sends no system instruction or tools when the request has none', () => {
    const { parameters } = prepareGeminiRequest(target, { messages: [{ role: 'user', content: 'hi' }] });
    expect(parameters.config).not.toHaveProperty('systemInstruction');
    expect(parameters.config).not.toHaveProperty('tools');
  });
});
