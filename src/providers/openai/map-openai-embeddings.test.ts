import { describe, expect, it } from 'vitest';
import { decodeFloat32Base64, mapOpenAIEmbeddings } from './map-openai-embeddings.js';

describe('mapOpenAIEmbeddings', () => {
  it('decodes little-endian float32 base64 and orders vectors by index', () => {
    const bytes = Buffer.alloc(8);
    bytes.writeFloatLE(0.5, 0);
    bytes.writeFloatLE(-2, 4);
    expect(decodeFloat32Base64(bytes.toString('base64'))).toEqual([0.5, -2]);
    expect(
      mapOpenAIEmbeddings({
        data: [
          { index: 1, embedding: [3] },
          { index: 0, embedding: bytes.toString('base64') },
        ],
        model: 'm',
        usage: { prompt_tokens: 4 },
      }),
    ).toEqual({ embeddings: [[0.5, -2], [3]], usage: { inputTokens: 4 }, responseModel: 'm' });
  });

  it('leaves usage undefined when the server reports none', () => {
    expect(mapOpenAIEmbeddings({ data: [] })).toEqual({ embeddings: [], usage: undefined });
  });
});
