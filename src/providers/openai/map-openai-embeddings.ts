import type { EmbedResult } from '../spec.js';

/** The parts of a `/embeddings` response this adapter reads. */
export interface OpenAIWireEmbeddings {
  data?: Array<{ index?: number; embedding?: number[] | string }>;
  model?: string;
  usage?: { prompt_tokens?: number | null } | null;
}

/**
 * An embeddings response as a result, vectors in input order. The adapter asks for
 * `encoding_format: "base64"` (what the SDKs ask for by default, `embeddings_base64`): each
 * vector is then little-endian float32 bytes. A server that ignores the format sends float arrays
 * (`embeddings`), which are taken as they are.
 */
export function mapOpenAIEmbeddings(response: OpenAIWireEmbeddings): EmbedResult {
  const data = [...(response.data ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const promptTokens = response.usage?.prompt_tokens;
  return {
    embeddings: data.map((item) => (typeof item.embedding === 'string' ? decodeFloat32Base64(item.embedding) : (item.embedding ?? []))),
    usage: typeof promptTokens === 'number' ? { inputTokens: promptTokens } : undefined,
    ...(response.model ? { responseModel: response.model } : {}),
  };
}

/** Base64 of little-endian float32 values, whatever this machine's byte order. */
export function decodeFloat32Base64(text: string): number[] {
  const bytes = Buffer.from(text, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values: number[] = [];
  for (let offset = 0; offset + 4 <= bytes.byteLength; offset += 4) values.push(view.getFloat32(offset, true));
  return values;
}
