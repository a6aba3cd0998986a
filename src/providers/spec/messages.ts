/** What a conversation is made of: messages, their content parts, tool calls and results, tools. */

export type MessageRole = 'system' | 'user' | 'assistant' | 'tool';

/** A JSON Schema (draft 2020-12) as plain data. */
export type JsonSchema = Record<string, unknown>;

/** Bytes carried inline, or a URL the vendor fetches itself. */
export type ContentSource = { type: 'bytes'; data: Uint8Array } | { type: 'url'; url: string };

export type UserContentPart =
  | { type: 'text'; text: string }
  /** png, jpeg, webp or gif. Needs the model's `vision` capability. */
  | { type: 'image'; mediaType: string; source: ContentSource }
  /** A PDF. Needs the model's `pdf` capability. */
  | { type: 'document'; mediaType: 'application/pdf'; source: ContentSource; name?: string };

/** A call the model asked for. `arguments` is the parsed JSON object of the call's input. */
export interface ToolCall {
  /** The vendor's id, or one the adapter made up where the vendor sends none (Gemini). */
  id: string;
  /** As the request's `tools` named it (`server.tool`): adapters encode and decode vendor-safe names. */
  name: string;
  arguments: Record<string, unknown>;
  /** Opaque vendor data that must go back with the call in the next request (Gemini's thoughtSignature). */
  providerMetadata?: Record<string, unknown>;
}

export interface ToolResult {
  toolCallId: string;
  /** The tool's name (Gemini answers by name, not by id). */
  name: string;
  /** What the model reads: text, or JSON as text. */
  content: string;
  isError?: boolean;
}

export type Message =
  | { role: 'system'; content: string }
  /** A string, or parts (text, images, PDFs) in the order the model should read them. */
  | { role: 'user'; content: string | UserContentPart[] }
  /** `content` may be empty when the turn is only tool calls. */
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  /** The results of one step's tool calls, in the order of the calls. */
  | { role: 'tool'; results: ToolResult[] };

export interface ToolDefinition {
  /** `server.tool` (any characters: adapters encode for vendors that restrict names). */
  name: string;
  description?: string;
  /** The JSON Schema of the tool's input object. */
  inputSchema: JsonSchema;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'tool'; name: string };

/** The text of a message as a person reads it (parts' text joined, tool results' content). */
export function messageText(message: Message): string {
  switch (message.role) {
    case 'tool':
      return message.results.map((result) => result.content).join('\n');
    case 'user':
      return typeof message.content === 'string'
        ? message.content
        : message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
    default:
      return message.content;
  }
}
