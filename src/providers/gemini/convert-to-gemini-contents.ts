import type { Content, Part } from '@google/genai';
import type { Message, ToolCall, ToolResult, UserContentPart } from '../spec.js';
import { createToolNameCodec, type ToolNameCodec } from '../tool-names.js';

export interface GeminiPrompt {
  /** The conversation turns, roles `user` and `model`. */
  contents: Content[];
  /** Every system message, in order, one part each; undefined when there are none. */
  systemInstruction: Content | undefined;
}

/**
 * Gemini takes the system prompt outside the turns (`config.systemInstruction`), calls the
 * assistant `model`, and expects turns to alternate, so consecutive messages of one role
 * become one turn with several parts. Tool calls go back as the `model` turn's `functionCall`
 * parts (with their thoughtSignature, which Gemini requires back), and tool results as a `user`
 * turn of `functionResponse` parts, which Gemini matches to the calls by name and order.
 */
export function convertToGeminiContents(messages: readonly Message[], codec: ToolNameCodec = createToolNameCodec([])): GeminiPrompt {
  const systemParts: Part[] = [];
  const contents: Array<{ role: 'user' | 'model'; parts: Part[] }> = [];
  const append = (role: 'user' | 'model', parts: Part[]) => {
    const previous = contents.at(-1);
    if (previous?.role === role) previous.parts.push(...parts);
    else contents.push({ role, parts });
  };
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        systemParts.push({ text: message.content });
        break;
      case 'user':
        append('user', typeof message.content === 'string' ? [{ text: message.content }] : message.content.map(userPart));
        break;
      case 'assistant': {
        const calls = (message.toolCalls ?? []).map((call) => functionCallPart(call, codec));
        // A turn of calls only has no text part: an empty text part is refused by the API.
        append('model', message.content === '' && calls.length > 0 ? calls : [{ text: message.content }, ...calls]);
        break;
      }
      case 'tool':
        append(
          'user',
          message.results.map((result) => functionResponsePart(result, codec)),
        );
        break;
    }
  }
  return {
    contents,
    systemInstruction: systemParts.length > 0 ? { parts: systemParts } : undefined,
  };
}

/** Bytes go inline as base64 `inlineData`; a URL goes as `fileData`, which Gemini fetches itself. */
function userPart(part: UserContentPart): Part {
  if (part.type === 'text') return { text: part.text };
  if (part.source.type === 'url') return { fileData: { fileUri: part.source.url, mimeType: part.mediaType } };
  return { inlineData: { data: Buffer.from(part.source.data).toString('base64'), mimeType: part.mediaType } };
}

function functionCallPart(call: ToolCall, codec: ToolNameCodec): Part {
  const part: Part = { functionCall: { name: codec.encode(call.name), args: call.arguments } };
  const signature = call.providerMetadata?.thoughtSignature;
  if (typeof signature === 'string') part.thoughtSignature = signature;
  return part;
}

/** As recorded: the result under `output`; a failed call's under `error`, as the API documents it. */
function functionResponsePart(result: ToolResult, codec: ToolNameCodec): Part {
  const response = result.isError ? { error: result.content } : { output: result.content };
  return { functionResponse: { name: codec.encode(result.name), response } };
}
