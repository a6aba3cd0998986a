import type { ToolCall } from '../spec.js';
import type { ToolNameCodec } from '../tool-names.js';

/** A tool call as a message carries it (non-streamed), or as a stream has assembled it. */
export interface OpenAIWireToolCall {
  id?: string | null;
  /** Present on streamed deltas; position of the call in the step. */
  index?: number | null;
  type?: string | null;
  function?: {
    name?: string | null;
    /** A JSON text; some compatible servers send the object itself. */
    arguments?: string | Record<string, unknown> | null;
  } | null;
}

/** The model sent arguments that are not a JSON object: the call cannot be run as it is. */
export class InvalidToolArgumentsError extends Error {
  override readonly name = 'InvalidToolArgumentsError';
  constructor(
    readonly toolName: string,
    readonly argumentsText: string,
  ) {
    super(`${toolName}: ${argumentsText || '(no arguments)'}`);
  }
}

/** The arguments' JSON text as an object; an empty text (a call without arguments) is `{}`. */
export function parseToolArguments(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The arguments as text, whichever form the server sent them in. */
export function argumentsText(value: string | Record<string, unknown> | null | undefined): string {
  if (typeof value === 'string') return value;
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : '';
}

/**
 * One finished call in spec form: the name decoded back to the request's, the arguments parsed.
 * Servers that send no id (some local ones) get one from the call's position. Throws an
 * InvalidToolArgumentsError when the arguments are not a JSON object.
 */
export function mapOpenAIToolCall(
  call: { id: string | undefined; name: string; arguments: string },
  position: number,
  toolNames: ToolNameCodec | undefined,
): ToolCall {
  const name = toolNames ? toolNames.decode(call.name) : call.name;
  const parsed = parseToolArguments(call.arguments);
  if (parsed === undefined) throw new InvalidToolArgumentsError(name, call.arguments);
  return { id: call.id || `call_${position}`, name, arguments: parsed };
}

/** The tool calls of a non-streamed message, in order. */
export function mapOpenAIToolCalls(calls: readonly OpenAIWireToolCall[] | null | undefined, toolNames?: ToolNameCodec): ToolCall[] {
  if (!Array.isArray(calls)) return [];
  return calls.map((call, position) =>
    mapOpenAIToolCall(
      { id: call.id ?? undefined, name: call.function?.name ?? '', arguments: argumentsText(call.function?.arguments) },
      position,
      toolNames,
    ),
  );
}
