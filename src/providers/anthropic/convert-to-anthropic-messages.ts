import type Anthropic from '@anthropic-ai/sdk';
import type { ContentSource, Message, UserContentPart } from '../spec.js';
import { createToolNameCodec, type ToolNameCodec } from '../tool-names.js';
import { thinkingBlocksOf } from './anthropic-thinking-metadata.js';

export interface AnthropicPrompt {
  /** Every system message, in order, joined by a blank line; undefined when there is none. */
  system: string | undefined;
  messages: Anthropic.MessageParam[];
}

interface Turn {
  role: 'user' | 'assistant';
  blocks: Anthropic.ContentBlockParam[];
  /** The turn is one plain string message, sent as a string as before parts existed. */
  plain: boolean;
}

/**
 * Spec messages as Anthropic's request: system messages wherever they appear go to the top-level
 * `system` parameter, and consecutive messages of the same role are merged into one, because the
 * API expects user and assistant turns to alternate. Merged turns keep each message as its own
 * block, so no separator is invented between them. An assistant's tool calls become `tool_use`
 * blocks; a `tool` message becomes a user turn of `tool_result` blocks, one per result, as the
 * API wants every result of one step in a single user message.
 */
export function convertToAnthropicMessages(
  messages: readonly Message[],
  toolNames: ToolNameCodec = createToolNameCodec([]),
): AnthropicPrompt {
  const systemTexts: string[] = [];
  const turns: Turn[] = [];
  const append = (role: Turn['role'], blocks: Anthropic.ContentBlockParam[], plain: boolean) => {
    const previous = turns.at(-1);
    if (previous?.role === role) {
      previous.blocks.push(...blocks);
      previous.plain = false;
    } else {
      turns.push({ role, blocks, plain });
    }
  };

  for (const message of messages) {
    switch (message.role) {
      case 'system':
        systemTexts.push(message.content);
        break;
      case 'user':
        if (typeof message.content === 'string') append('user', [{ type: 'text', text: message.content }], true);
        else append('user', message.content.map(userBlock), false);
        break;
      case 'assistant': {
        const calls = message.toolCalls ?? [];
        // The reply's thinking goes back first and unchanged, as the API requires when thinking is on.
        const blocks: Anthropic.ContentBlockParam[] = calls.flatMap((call) => thinkingBlocksOf(call.providerMetadata));
        if (calls.length === 0 || message.content !== '') blocks.push({ type: 'text', text: message.content });
        for (const call of calls) blocks.push({ type: 'tool_use', id: call.id, name: toolNames.encode(call.name), input: call.arguments });
        append('assistant', blocks, calls.length === 0);
        break;
      }
      case 'tool':
        append(
          'user',
          message.results.map((result) => ({
            type: 'tool_result' as const,
            tool_use_id: result.toolCallId,
            content: result.content,
            is_error: result.isError ?? false,
          })),
          false,
        );
        break;
    }
  }

  return {
    system: systemTexts.length > 0 ? systemTexts.join('\n\n') : undefined,
    messages: turns.map(({ role, blocks, plain }) => {
      const only = blocks[0];
      return { role, content: plain && blocks.length === 1 && only?.type === 'text' ? only.text : blocks };
    }),
  };
}

function userBlock(part: UserContentPart): Anthropic.ContentBlockParam {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image':
      return {
        type: 'image',
        source:
          part.source.type === 'url'
            ? { type: 'url', url: part.source.url }
            : { type: 'base64', media_type: part.mediaType as Anthropic.Base64ImageSource['media_type'], data: base64(part.source) },
      };
    case 'document':
      return {
        type: 'document',
        source:
          part.source.type === 'url'
            ? { type: 'url', url: part.source.url }
            : { type: 'base64', media_type: 'application/pdf', data: base64(part.source) },
        ...(part.name === undefined ? {} : { title: part.name }),
      };
  }
}

function base64(source: Extract<ContentSource, { type: 'bytes' }>): string {
  return Buffer.from(source.data.buffer, source.data.byteOffset, source.data.byteLength).toString('base64');
}
