import type { StreamPart, ToolCall, Usage } from '../spec.js';
import type { ToolNameCodec } from '../tool-names.js';
import { argumentsText, mapOpenAIToolCall, type OpenAIWireToolCall } from './map-openai-tool-call.js';
import { mapOpenAIUsage, type OpenAIWireUsage } from './map-openai-usage.js';

/**
 * The text fields of a message (non-streamed) or a delta (streamed), which carry the same names:
 * the answer, a refusal, and reasoning under either of the names compatible servers use.
 */
export interface OpenAIWireMessageText {
  content?: string | null;
  refusal?: string | null;
  /** DeepSeek and vLLM. */
  reasoning_content?: string | null;
  /** Ollama and OpenRouter. */
  reasoning?: string | null;
}

/** The parts of a chat.completion.chunk this adapter reads, as OpenAI and compatible servers send them. */
export interface OpenAIWireChunk {
  model?: string;
  choices?: Array<{
    delta?: (OpenAIWireMessageText & { tool_calls?: OpenAIWireToolCall[] | null }) | null;
    finish_reason?: string | null;
  }>;
  usage?: OpenAIWireUsage | null;
}

/** A tool call whose pieces are still arriving. */
interface ToolCallInProgress {
  id: string | undefined;
  /** The wire name (encoded); empty until a chunk names it. */
  name: string;
  arguments: string;
  /** Whether `tool-call-start` went out (it needs the name). */
  started: boolean;
  /** Whether the finished `tool-call` went out. */
  finished: boolean;
}

/** What a stream has told us so far, beyond its deltas. */
export interface OpenAIStreamState {
  /** The raw finish_reason; undefined until a chunk carries one. */
  finishReason: string | undefined;
  usage: Usage | undefined;
  responseModel: string | undefined;
  /** Tool calls by their `index`, in the order they began. */
  toolCalls: Map<number, ToolCallInProgress>;
  toolNames: ToolNameCodec | undefined;
}

export function createOpenAIStreamState(toolNames?: ToolNameCodec): OpenAIStreamState {
  return { finishReason: undefined, usage: undefined, responseModel: undefined, toolCalls: new Map(), toolNames };
}

/**
 * The stream parts in one chunk, recording its finish reason, usage and model in `state`.
 * Usage can come on the finish chunk (DeepSeek, always) or on a later chunk with no choices
 * (OpenAI with include_usage), so it is kept wherever it turns up.
 */
export function mapOpenAIStreamChunk(chunk: OpenAIWireChunk, state: OpenAIStreamState): StreamPart[] {
  const parts: StreamPart[] = [];
  if (typeof chunk.model === 'string' && chunk.model) state.responseModel ??= chunk.model;
  const usage = mapOpenAIUsage(chunk.usage);
  if (usage) state.usage = usage;

  // llmo asks for one choice; a usage chunk has none.
  const choice = chunk.choices?.[0];
  if (!choice) return parts;
  const delta = choice.delta ?? {};
  const reasoning = delta.reasoning_content ?? delta.reasoning;
  if (typeof reasoning === 'string' && reasoning) parts.push({ type: 'reasoning-delta', text: reasoning });
  if (typeof delta.content === 'string' && delta.content) parts.push({ type: 'text-delta', text: delta.content });
  // A refusal is the model's answer in another field; show it rather than an empty reply.
  if (typeof delta.refusal === 'string' && delta.refusal) parts.push({ type: 'text-delta', text: delta.refusal });
  if (Array.isArray(delta.tool_calls)) {
    for (const [position, call] of delta.tool_calls.entries()) parts.push(...mapToolCallDelta(call, position, state));
  }
  if (choice.finish_reason) state.finishReason = choice.finish_reason;
  return parts;
}

/**
 * One entry of `delta.tool_calls`, as stream_parallel_tool_calls_include_usage shows them: the
 * first names the call (`index`, `id`, `function.name`, `arguments: ""`), the next ones carry
 * argument fragments under the same `index`. Servers that send a whole call in one delta, or no
 * `index`, are read the same way. The calls stream one after the other, so a new index finishes
 * the calls before it: each call's `tool-call` follows its own deltas, as with every vendor.
 */
function mapToolCallDelta(call: OpenAIWireToolCall, position: number, state: OpenAIStreamState): StreamPart[] {
  const parts: StreamPart[] = [];
  const index = typeof call.index === 'number' ? call.index : position;
  let entry = state.toolCalls.get(index);
  if (!entry) {
    parts.push(...finishOpenAIToolCalls(state).map((toolCall): StreamPart => ({ type: 'tool-call', toolCall })));
    entry = { id: undefined, name: '', arguments: '', started: false, finished: false };
    state.toolCalls.set(index, entry);
  }
  if (call.id) entry.id ??= call.id;
  if (call.function?.name) entry.name ||= call.function.name;
  const fragment = argumentsText(call.function?.arguments);
  entry.arguments += fragment;

  const id = callId(entry, index);
  if (!entry.started && entry.name) {
    entry.started = true;
    parts.push({ type: 'tool-call-start', id, name: decode(entry.name, state) });
    // Arguments that came before the name go out with the start.
    if (entry.arguments) parts.push({ type: 'tool-call-delta', id, argumentsDelta: entry.arguments });
  } else if (entry.started && fragment) {
    parts.push({ type: 'tool-call-delta', id, argumentsDelta: fragment });
  }
  return parts;
}

function callId(entry: ToolCallInProgress, index: number): string {
  return entry.id ?? `call_${index}`;
}

function decode(wireName: string, state: OpenAIStreamState): string {
  return state.toolNames ? state.toolNames.decode(wireName) : wireName;
}

/**
 * The calls of a stream not finished yet, in the order they began, parsed, and marked finished.
 * Throws an InvalidToolArgumentsError when a call's arguments are not a JSON object.
 */
export function finishOpenAIToolCalls(state: OpenAIStreamState): ToolCall[] {
  const finished: ToolCall[] = [];
  for (const [index, entry] of state.toolCalls) {
    if (entry.finished) continue;
    entry.finished = true;
    finished.push(mapOpenAIToolCall({ id: callId(entry, index), name: entry.name, arguments: entry.arguments }, index, state.toolNames));
  }
  return finished;
}
