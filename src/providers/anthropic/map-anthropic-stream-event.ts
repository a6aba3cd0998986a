import type Anthropic from '@anthropic-ai/sdk';
import { formatProviderMessage, ProviderUnavailableError, type StreamPart } from '../spec.js';
import { createToolNameCodec, type ToolNameCodec } from '../tool-names.js';
import { type AnthropicThinkingBlock, thinkingMetadata } from './anthropic-thinking-metadata.js';
import { type AnthropicUsage, mergeAnthropicUsage } from './map-anthropic-usage.js';

/** A `tool_use` block whose input is still arriving. */
interface OpenToolBlock {
  id: string;
  /** The name as the request's tools spelt it (decoded). */
  name: string;
  /** The `partial_json` received so far. */
  json: string;
  /** The input the block started with (the API starts with `{}` and sends the rest as deltas). */
  initialInput: unknown;
  /** The block is the structured-output tool: its input is the reply's text. */
  isOutput: boolean;
}

/** What a stream has told us so far, beyond the parts it has already handed on. */
export interface AnthropicStreamState {
  /** The model id Anthropic says answered (`claude-haiku-4-5-20251001` for `claude-haiku-4-5`). */
  responseModel: string | undefined;
  usage: AnthropicUsage | undefined;
  stopReason: string | null;
  /** Tool-use blocks begun and not yet stopped, by block index. */
  openToolBlocks: ReadonlyMap<number, OpenToolBlock>;
  /** How many finished tool calls were handed on (calls of the structured-output tool excluded). */
  toolCallCount: number;
  /** Thinking blocks begun and not yet stopped, by block index. */
  openThinkingBlocks: ReadonlyMap<number, { thinking: string; signature: string }>;
  /** The finished thinking blocks, which go back with the first tool call (see thinkingMetadata). */
  thinkingBlocks: readonly AnthropicThinkingBlock[];
  /** `message_stop` arrived. A stream that ends without it was cut off. */
  completed: boolean;
}

export const initialAnthropicStreamState: AnthropicStreamState = {
  responseModel: undefined,
  usage: undefined,
  stopReason: null,
  openToolBlocks: new Map(),
  toolCallCount: 0,
  openThinkingBlocks: new Map(),
  thinkingBlocks: [],
  completed: false,
};

/** What the mapping needs to know of the request. */
export interface AnthropicStreamContext {
  provider: string;
  toolNames: ToolNameCodec;
  /** The wire name of the structured-output tool, when the request used one. */
  outputToolName?: string | undefined;
  /** Where the JSON sits in the structured-output tool's input; undefined: the whole input. */
  outputValueKey?: string | undefined;
}

const defaultContext: AnthropicStreamContext = { provider: 'anthropic', toolNames: createToolNameCodec([]) };

/**
 * One raw Messages stream event as spec stream parts, plus the state after it. A `tool_use` block
 * becomes `tool-call-start`, a `tool-call-delta` per non-empty `input_json_delta`, and the finished
 * `tool-call` at its `content_block_stop` (`{}` when the tool takes no arguments). The
 * structured-output tool's input becomes one text delta of its JSON at the block's end, written as
 * generate() writes it, so that both agree on the text. Thinking blocks (text and signature) are
 * kept to travel back with the first tool call; citations have no spec part and are dropped; so are
 * empty deltas (the real server sends a `thinking_delta` of `""`
 * before the signature, and an `input_json_delta` of `""` first).
 */
export function mapAnthropicStreamEvent(
  state: AnthropicStreamState,
  event: Anthropic.RawMessageStreamEvent,
  context: AnthropicStreamContext = defaultContext,
): { state: AnthropicStreamState; parts: StreamPart[] } {
  switch (event.type) {
    case 'message_start':
      return {
        state: { ...state, responseModel: event.message.model, usage: mergeAnthropicUsage(state.usage, event.message.usage) },
        parts: [],
      };
    case 'content_block_start': {
      // The API starts text and thinking blocks empty, but a block may in principle open with content.
      const block = event.content_block;
      if (block.type === 'text') return { state, parts: textPart(block.text) };
      if (block.type === 'thinking') {
        const openThinkingBlocks = new Map(state.openThinkingBlocks).set(event.index, {
          thinking: block.thinking,
          signature: block.signature,
        });
        return { state: { ...state, openThinkingBlocks }, parts: reasoningPart(block.thinking) };
      }
      if (block.type === 'redacted_thinking') {
        return {
          state: { ...state, thinkingBlocks: [...state.thinkingBlocks, { type: 'redacted_thinking', data: block.data }] },
          parts: [],
        };
      }
      if (block.type === 'tool_use') {
        const isOutput = block.name === context.outputToolName;
        const open: OpenToolBlock = {
          id: block.id,
          name: context.toolNames.decode(block.name),
          json: '',
          initialInput: block.input,
          isOutput,
        };
        return {
          state: { ...state, openToolBlocks: new Map(state.openToolBlocks).set(event.index, open) },
          parts: isOutput ? [] : [{ type: 'tool-call-start', id: open.id, name: open.name }],
        };
      }
      return { state, parts: [] };
    }
    case 'content_block_delta': {
      const delta = event.delta;
      if (delta.type === 'text_delta') return { state, parts: textPart(delta.text) };
      const thinking = state.openThinkingBlocks.get(event.index);
      if (delta.type === 'thinking_delta' || delta.type === 'signature_delta') {
        if (!thinking) return { state, parts: delta.type === 'thinking_delta' ? reasoningPart(delta.thinking) : [] };
        const updated =
          delta.type === 'thinking_delta'
            ? { ...thinking, thinking: thinking.thinking + delta.thinking }
            : { ...thinking, signature: delta.signature };
        const openThinkingBlocks = new Map(state.openThinkingBlocks).set(event.index, updated);
        return { state: { ...state, openThinkingBlocks }, parts: delta.type === 'thinking_delta' ? reasoningPart(delta.thinking) : [] };
      }
      const open = state.openToolBlocks.get(event.index);
      if (delta.type === 'input_json_delta' && open && delta.partial_json !== '') {
        const openToolBlocks = new Map(state.openToolBlocks).set(event.index, { ...open, json: open.json + delta.partial_json });
        return {
          state: { ...state, openToolBlocks },
          parts: open.isOutput ? [] : [{ type: 'tool-call-delta', id: open.id, argumentsDelta: delta.partial_json }],
        };
      }
      return { state, parts: [] };
    }
    case 'content_block_stop': {
      const thinking = state.openThinkingBlocks.get(event.index);
      if (thinking) {
        const openThinkingBlocks = new Map(state.openThinkingBlocks);
        openThinkingBlocks.delete(event.index);
        const thinkingBlocks = [...state.thinkingBlocks, { type: 'thinking' as const, ...thinking }];
        return { state: { ...state, openThinkingBlocks, thinkingBlocks }, parts: [] };
      }
      const open = state.openToolBlocks.get(event.index);
      if (!open) return { state, parts: [] };
      const openToolBlocks = new Map(state.openToolBlocks);
      openToolBlocks.delete(event.index);
      const input = parseInput(open);
      if (input === undefined) {
        const what = `the tool call ${open.name} (${open.id}) arrived with arguments that are not a JSON object`;
        return {
          state: { ...state, openToolBlocks },
          parts: [
            {
              type: 'error',
              error: new ProviderUnavailableError(formatProviderMessage({ provider: context.provider, what }), {
                provider: context.provider,
              }),
            },
          ],
        };
      }
      if (open.isOutput) {
        return { state: { ...state, openToolBlocks }, parts: [{ type: 'text-delta', text: outputJson(input, context.outputValueKey) }] };
      }
      return {
        state: { ...state, openToolBlocks, toolCallCount: state.toolCallCount + 1 },
        parts: [
          {
            type: 'tool-call',
            toolCall: {
              id: open.id,
              name: open.name,
              arguments: input,
              ...thinkingMetadata(state.toolCallCount === 0 ? state.thinkingBlocks : []),
            },
          },
        ],
      };
    }
    case 'message_delta':
      return {
        state: {
          ...state,
          stopReason: event.delta.stop_reason ?? state.stopReason,
          // message_delta's output_tokens is the running total, not an increment.
          usage: mergeAnthropicUsage(state.usage, event.usage),
        },
        parts: [],
      };
    case 'message_stop':
      return { state: { ...state, completed: true }, parts: [] };
    default:
      return { state, parts: [] };
  }
}

/** The finished input of a tool-use block as an object; `{}` for a tool without arguments; undefined when it is not a JSON object. */
function parseInput(open: OpenToolBlock): Record<string, unknown> | undefined {
  let input: unknown = open.initialInput ?? {};
  if (open.json !== '') {
    try {
      input = JSON.parse(open.json);
    } catch {
      return undefined;
    }
  }
  return isObject(input) ? input : undefined;
}

/** The structured-output tool's input as the reply's JSON text (generate() writes it the same way). */
export function outputJson(input: Record<string, unknown>, valueKey: string | undefined): string {
  return JSON.stringify(valueKey === undefined ? input : (input[valueKey] ?? null));
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textPart(text: string): StreamPart[] {
  return text ? [{ type: 'text-delta', text }] : [];
}

function reasoningPart(text: string): StreamPart[] {
  return text ? [{ type: 'reasoning-delta', text }] : [];
}
