import { describe, expect, it } from 'vitest';
import { createToolNameCodec } from '../tool-names.js';
import { geminiToolCallIds, mapGeminiPart } from './map-gemini-part.js';

const codec = createToolNameCodec(['fs.read']);

describe('mapGeminiPart', () => {
  it('reads thought parts as reasoning and other text as answer text, and skips empty ones', () => {
    const ids = geminiToolCallIds('r');
    expect(mapGeminiPart({ text: 'Hmm', thought: true }, ids, codec)).toEqual({ type: 'reasoning-delta', text: 'Hmm' });
    expect(mapGeminiPart({ text: 'Hi', thoughtSignature: 'c2ln' }, ids, codec)).toEqual({ type: 'text-delta', text: 'Hi' });
    expect(mapGeminiPart({ text: '' }, ids, codec)).toBeUndefined();
  });

  it('reads a function call whole, with a made-up id, its decoded name and its signature', () => {
    const ids = geminiToolCallIds('resp1');
    const part = { functionCall: { name: 'fs__read', args: { path: 'a' } }, thoughtSignature: 'c2ln' };
    expect(mapGeminiPart(part, ids, codec)).toEqual({
      type: 'tool-call',
      toolCall: { id: 'resp1-call-0', name: 'fs.read', arguments: { path: 'a' }, providerMetadata: { thoughtSignature: 'c2ln' } },
    });
    expect(mapGeminiPart({ functionCall: { name: 'clock' } }, ids, codec)).toEqual({
      type: 'tool-call',
      toolCall: { id: 'resp1-call-1', name: 'clock', arguments: {} },
    });
  });

  it("keeps Gemini's own id when it sends one", () => {
    expect(mapGeminiPart({ functionCall: { id: 'g-1', name: 'clock', args: {} } }, geminiToolCallIds('r'), codec)).toMatchObject({
      toolCall: { id: 'g-1' },
    });
  });
});

describe('geminiToolCallIds', () => {
  it('gives the same ids for the same response, and distinct ones for responses without an id', () => {
    expect(geminiToolCallIds('r')()).toBe(geminiToolCallIds('r')());
    expect(geminiToolCallIds(undefined)()).not.toBe(geminiToolCallIds(undefined)());
  });
});
