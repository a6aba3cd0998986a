import type { ToolCall as MistralToolCall } from '@mistralai/mistralai/models/components/toolcall.js';
import type { StreamPart, ToolCall } from '../spec.js';
import type { ToolNameCodec } from '../tool-names.js';

export type ToolCallPart = Extract<StreamPart, { type: 'tool-call-start' | 'tool-call-delta' | 'tool-call' }>;

/** A call whose arguments are not a JSON object: the model's reply cannot be acted on. */
export class ToolArgumentsError extends Error {
  constructor(
    readonly toolName: string,
    readonly argumentsText: string,
  ) {
    super(`the arguments of ${toolName} are not a JSON object`);
  }
}

/**
 * Streamed `tool_calls` → start, delta and finished-call parts.
 *
 * Mistral sends each call whole in one delta (id, name and the complete arguments, in the chunk
 * that carries finish_reason: stream_tool_calls.sse). Should it ever split a call's arguments over
 * several deltas of the same `index`, as OpenAI does, they are joined: a call is finished only when
 * a call with another index begins or the stream ends, so the parts of one call never interleave
 * with another's.
 */
export class MistralToolCallAssembler {
  readonly #toolNames: ToolNameCodec;
  #open: { index: number; id: string; name: string; argumentsText: string } | undefined;

  constructor(toolNames: ToolNameCodec) {
    this.#toolNames = toolNames;
  }

  push(call: MistralToolCall): ToolCallPart[] {
    const parts: ToolCallPart[] = [];
    const index = call.index ?? 0;
    if (this.#open !== undefined && this.#open.index !== index) parts.push(...this.finish());
    const argumentsText = argumentsTextOf(call.function.arguments);
    if (this.#open === undefined) {
      const id = call.id ?? '';
      const name = this.#toolNames.decode(call.function.name);
      this.#open = { index, id, name, argumentsText: '' };
      parts.push({ type: 'tool-call-start', id, name });
    }
    if (argumentsText !== '') {
      this.#open.argumentsText += argumentsText;
      parts.push({ type: 'tool-call-delta', id: this.#open.id, argumentsDelta: argumentsText });
    }
    return parts;
  }

  /** The open call, finished. Throws ToolArgumentsError when its arguments are not a JSON object. */
  finish(): ToolCallPart[] {
    const open = this.#open;
    if (open === undefined) return [];
    this.#open = undefined;
    return [
      { type: 'tool-call', toolCall: { id: open.id, name: open.name, arguments: parseToolArguments(open.name, open.argumentsText) } },
    ];
  }
}

/** A non-streamed reply's `tool_calls` → our calls, names decoded and arguments parsed. */
export function convertMistralToolCalls(calls: readonly MistralToolCall[] | null | undefined, toolNames: ToolNameCodec): ToolCall[] {
  return (calls ?? []).map((call) => {
    const name = toolNames.decode(call.function.name);
    return { id: call.id ?? '', name, arguments: parseToolArguments(name, argumentsTextOf(call.function.arguments)) };
  });
}

/** The SDK types arguments as text or an already parsed object; the wire has always sent text. */
function argumentsTextOf(value: MistralToolCall['function']['arguments']): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `""` and `"{}"` both mean a call without arguments (nonstream_parallel_tool_calls). */
export function parseToolArguments(toolName: string, text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ToolArgumentsError(toolName, text);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ToolArgumentsError(toolName, text);
  return parsed as Record<string, unknown>;
}
