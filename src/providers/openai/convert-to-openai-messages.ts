import type {
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
} from 'openai/resources/chat/completions';
import type { Message, ToolCall, ToolResult, UserContentPart } from '../spec.js';
import type { ToolNameCodec } from '../tool-names.js';

export interface ConvertToOpenAIMessagesOptions {
  /** Encodes tool names for the wire (`fs.read` → `fs__read`); names pass unchanged without it. */
  toolNames?: ToolNameCodec;
  /** Told about content the chat-completions API cannot take; the part is left out. */
  onUnsupported?: (feature: string, details: string) => void;
}

/**
 * Spec messages as chat-completions messages. The API takes system messages anywhere in the list
 * (OpenAI turns `system` into `developer` for reasoning models by itself), so order and roles are
 * kept as they are. Tool calls and their results take the shape of the recorded follow-ups
 * (`*_tool_result_followup`): the assistant message carries `tool_calls`, then one `role: tool`
 * message per result.
 */
export function convertToOpenAIMessages(
  messages: readonly Message[],
  options: ConvertToOpenAIMessagesOptions = {},
): ChatCompletionMessageParam[] {
  return messages.flatMap((message) => convertMessage(message, options));
}

function convertMessage(message: Message, options: ConvertToOpenAIMessagesOptions): ChatCompletionMessageParam[] {
  const encode = (name: string) => options.toolNames?.encode(name) ?? name;
  switch (message.role) {
    case 'system':
      return [{ role: 'system', content: message.content }];
    case 'user':
      return [
        {
          role: 'user',
          content: typeof message.content === 'string' ? message.content : convertUserParts(message.content, options),
        },
      ];
    case 'assistant':
      if (!message.toolCalls || message.toolCalls.length === 0) return [{ role: 'assistant', content: message.content }];
      // As recorded, a turn of only tool calls has no content key at all.
      return [
        {
          role: 'assistant',
          ...(message.content ? { content: message.content } : {}),
          tool_calls: message.toolCalls.map((call) => convertToolCall(call, encode)),
        },
      ];
    case 'tool':
      return message.results.map(convertToolResult);
  }
}

function convertToolCall(call: ToolCall, encode: (name: string) => string): ChatCompletionMessageToolCall {
  return { id: call.id, type: 'function', function: { name: encode(call.name), arguments: JSON.stringify(call.arguments) } };
}

/**
 * The API has no error flag on a tool message, so a failed call says so in its words: the model
 * reads only `content`.
 */
function convertToolResult(result: ToolResult): ChatCompletionMessageParam {
  return { role: 'tool', tool_call_id: result.toolCallId, content: result.isError ? `Error: ${result.content}` : result.content };
}

function convertUserParts(parts: readonly UserContentPart[], options: ConvertToOpenAIMessagesOptions): ChatCompletionContentPart[] {
  return parts.flatMap((part) => convertUserPart(part, options));
}

function convertUserPart(part: UserContentPart, options: ConvertToOpenAIMessagesOptions): ChatCompletionContentPart[] {
  switch (part.type) {
    case 'text':
      return [{ type: 'text', text: part.text }];
    case 'image':
      // nonstream_image_base64 (a data URL) and nonstream_image_url (the vendor fetches it).
      return [
        {
          type: 'image_url',
          image_url: { url: part.source.type === 'url' ? part.source.url : dataURL(part.mediaType, part.source.data) },
        },
      ];
    case 'document':
      if (part.source.type === 'url') {
        options.onUnsupported?.(
          'PDF documents by URL',
          `chat completions take a PDF only as its bytes; ${part.source.url} was left out (download it and attach the file)`,
        );
        return [];
      }
      // nonstream_pdf_file: the bytes as a data URL in `file_data`, with a file name.
      return [{ type: 'file', file: { file_data: dataURL(part.mediaType, part.source.data), filename: part.name ?? 'document.pdf' } }];
  }
}

function dataURL(mediaType: string, data: Uint8Array): string {
  return `data:${mediaType};base64,${Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64')}`;
}
