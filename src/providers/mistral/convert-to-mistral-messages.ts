import type { ChatCompletionRequestMessage } from '@mistralai/mistralai/models/components/chatcompletionrequest.js';
import type { ContentChunk } from '@mistralai/mistralai/models/components/contentchunk.js';
import { type ContentSource, type Message, messageText, type ToolCall, type UserContentPart } from '../spec.js';
import type { ToolNameCodec } from '../tool-names.js';

/** Names that are already vendor-safe pass through: for requests without tools. */
const PLAIN_NAMES: ToolNameCodec = { encode: (name) => name, decode: (name) => name };

/**
 * Our messages → Mistral's.
 *
 * - System messages are hoisted into one leading system message: Mistral rejects a system
 *   message after an assistant one with a 400 ("Unexpected role 'system' after role 'assistant'",
 *   error_400_invalid_request_message_order.json), while llmo lets them appear anywhere.
 * - A trailing assistant message is sent with `prefix: true`. Mistral refuses a conversation that
 *   ends with the assistant unless it is marked as a prefix, and a prefix is what such a message
 *   means here: the answer must continue from it. A turn of tool calls is never a prefix.
 * - Tool calls go back as `tool_calls` with their arguments as JSON text, and each result as its
 *   own `role: tool` message naming the call's id and the tool (nonstream_tool_result_followup).
 *   Mistral has no error flag on a result: the tool's words must say it failed.
 */
export function convertToMistralMessages(
  messages: readonly Message[],
  toolNames: ToolNameCodec = PLAIN_NAMES,
): ChatCompletionRequestMessage[] {
  const system = messages.filter((message) => message.role === 'system').map((message) => messageText(message));
  const converted: ChatCompletionRequestMessage[] = [];
  if (system.length > 0) converted.push({ role: 'system', content: system.join('\n\n') });
  const conversation = messages.filter((message) => message.role !== 'system');
  conversation.forEach((message, index) => {
    switch (message.role) {
      case 'user':
        converted.push({
          role: 'user',
          content: typeof message.content === 'string' ? message.content : message.content.filter(isSendable).map(convertUserPart),
        });
        break;
      case 'assistant':
        if (message.toolCalls !== undefined && message.toolCalls.length > 0) {
          converted.push({ role: 'assistant', content: message.content, toolCalls: message.toolCalls.map(toWireCall(toolNames)) });
        } else if (index === conversation.length - 1) {
          converted.push({ role: 'assistant', content: message.content, prefix: true });
        } else {
          converted.push({ role: 'assistant', content: message.content });
        }
        break;
      case 'tool':
        for (const result of message.results) {
          converted.push({ role: 'tool', content: result.content, toolCallId: result.toolCallId, name: toolNames.encode(result.name) });
        }
        break;
    }
  });
  return converted;
}

function toWireCall(toolNames: ToolNameCodec) {
  return (call: ToolCall, index: number) => ({
    id: call.id,
    type: 'function' as const,
    function: { name: toolNames.encode(call.name), arguments: JSON.stringify(call.arguments) },
    // The SDK would number every call 0; the position is what Mistral itself sends.
    index,
  });
}

/**
 * Mistral reads a PDF from an https URL or a data URL only (vercel/ai#10155 states the rule);
 * any other PDF URL is left out of the request, and prepareMistralRequest warns about it.
 */
export function isSendable(part: UserContentPart): boolean {
  return part.type !== 'document' || part.source.type === 'bytes' || /^(https|data):/i.test(part.source.url);
}

/**
 * Text, images and PDFs. Images go as `image_url` with a plain string (a data URL for bytes, as
 * nonstream_image_base64 sends it); PDFs as `document_url`, a data URL for bytes.
 */
function convertUserPart(part: UserContentPart): ContentChunk {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image':
      return { type: 'image_url', imageUrl: urlOf(part.source, part.mediaType) };
    case 'document':
      return {
        type: 'document_url',
        documentUrl: urlOf(part.source, part.mediaType),
        ...(part.name === undefined ? {} : { documentName: part.name }),
      };
  }
}

function urlOf(source: ContentSource, mediaType: string): string {
  return source.type === 'url' ? source.url : `data:${mediaType};base64,${Buffer.from(source.data).toString('base64')}`;
}
