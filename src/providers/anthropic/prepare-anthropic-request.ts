import type Anthropic from '@anthropic-ai/sdk';
import type { ModelCapability, ModelRequest, ProviderWarning, ResponseFormat, ToolChoice } from '../spec.js';
import { createToolNameCodec, type ToolNameCodec } from '../tool-names.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';

/** Anthropic requires `max_tokens`; this is what a request without one asks for. */
export const DEFAULT_MAX_TOKENS = 4096;

/** The name of the tool that carries a JSON reply when the model has no native structured output. */
export const DEFAULT_OUTPUT_TOOL_NAME = 'json_output';

export type AnthropicRequestParams = Omit<Anthropic.MessageCreateParamsNonStreaming, 'stream'>;

/** What the adapter knows about the model it asks. */
export interface AnthropicRequestSettings {
  provider: string;
  modelId: string;
  capabilities?: ReadonlySet<ModelCapability> | undefined;
}

export interface PreparedAnthropicRequest {
  params: AnthropicRequestParams;
  warnings: ProviderWarning[];
  /** Turns the wire names of tool calls in the reply back into the request's names. */
  toolNames: ToolNameCodec;
  /**
   * The wire name of the tool whose input is the JSON reply (structured output without native
   * support): a call to it is the answer's text, not a tool call.
   */
  outputToolName: string | undefined;
  /**
   * Where the JSON sits in that tool's input when the schema's root is not an object (a tool's
   * input always is one, so such a schema is wrapped as `{ value: … }`); undefined: the whole input.
   */
  outputValueKey: string | undefined;
}

/**
 * A spec request as the body of `POST /v1/messages` (without `stream`), plus a warning for each
 * setting Anthropic can't honour. `providerOptions.anthropic` adds vendor-only fields (`thinking`,
 * `metadata`, `service_tier`…) as they are; the fields llmo sets itself take precedence over them.
 */
export function prepareAnthropicRequest(settings: AnthropicRequestSettings, request: ModelRequest): PreparedAnthropicRequest {
  const { provider, modelId } = settings;
  const warnings: ProviderWarning[] = [];
  // The SDK (API version 2026-10-21) no longer has sampling parameters, and the API rejects them.
  if (request.temperature !== undefined) {
    warnings.push({
      type: 'unsupported',
      provider,
      feature: 'temperature',
      details: 'the Anthropic API no longer accepts it; it was ignored',
    });
  }

  const tools = request.tools ?? [];
  const toolNames = createToolNameCodec(tools.map((tool) => tool.name));
  const { system, messages } = convertToAnthropicMessages(request.messages, toolNames);
  const vendorOptions = (request.providerOptions?.anthropic ?? {}) as Partial<AnthropicRequestParams>;
  const params: AnthropicRequestParams = {
    ...vendorOptions,
    model: modelId,
    max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    messages,
  };
  if (system !== undefined) params.system = request.cacheHint?.system ? [{ type: 'text', text: system, cache_control: EPHEMERAL }] : system;
  if (request.cacheHint?.history) markLastBlock(messages);
  if (request.stop && request.stop.length > 0) params.stop_sequences = request.stop;

  const wireTools: Anthropic.Tool[] = tools.map((tool) => ({
    name: toolNames.encode(tool.name),
    ...(tool.description === undefined ? {} : { description: tool.description }),
    input_schema: tool.inputSchema as Anthropic.Tool.InputSchema,
  }));
  let toolChoice = tools.length > 0 && request.toolChoice !== undefined ? toolChoiceParam(request.toolChoice, toolNames) : undefined;

  let outputToolName: string | undefined;
  let outputValueKey: string | undefined;
  const format = request.responseFormat;
  if (format?.schema && settings.capabilities?.has('json_schema')) {
    params.output_config = { ...vendorOptions.output_config, format: { type: 'json_schema', schema: format.schema } };
  } else if (format) {
    // No native structured output (or no schema to give it): the JSON is the input of a tool the
    // model must call, which is how Anthropic documented JSON output before structured outputs.
    const outputTool = outputToolFor(format, wireTools);
    outputToolName = outputTool.name;
    if (format.schema && !isObjectSchema(format.schema)) {
      outputValueKey = OUTPUT_VALUE_KEY;
      outputTool.input_schema = { type: 'object', properties: { [OUTPUT_VALUE_KEY]: format.schema }, required: [OUTPUT_VALUE_KEY] };
    }
    const offersOtherTools = wireTools.length > 0 && request.toolChoice !== 'none';
    if (!offersOtherTools) wireTools.length = 0;
    wireTools.push(outputTool);
    // With other tools on offer the model must call one of them or answer through the output tool.
    if (!offersOtherTools) toolChoice = { type: 'tool', name: outputTool.name, disable_parallel_tool_use: true };
    else if (toolChoice === undefined || toolChoice.type === 'auto') toolChoice = { type: 'any' };
  }

  if (wireTools.length > 0) params.tools = wireTools;
  if (toolChoice !== undefined) params.tool_choice = toolChoice;
  return { params, warnings, toolNames, outputToolName, outputValueKey };
}

const OUTPUT_VALUE_KEY = 'value';

/** Anthropic's prompt cache (five minutes, refreshed by every hit), as the recorded requests mark it. */
const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * Marks the end of the conversation so far as a cache breakpoint: this call writes the prefix and
 * the next turn, which repeats it, reads it back at the cached-input price.
 */
function markLastBlock(messages: Anthropic.MessageParam[]): void {
  const last = messages.at(-1);
  if (!last) return;
  if (typeof last.content === 'string') last.content = [{ type: 'text', text: last.content }];
  const block = last.content.at(-1);
  if (block && block.type !== 'thinking' && block.type !== 'redacted_thinking') block.cache_control = EPHEMERAL;
}

/** Whether a schema describes an object (a tool's input must be one). */
function isObjectSchema(schema: Record<string, unknown>): boolean {
  return schema.type === 'object' || (schema.type === undefined && typeof schema.properties === 'object');
}

function toolChoiceParam(choice: ToolChoice, toolNames: ToolNameCodec): Anthropic.ToolChoice {
  if (typeof choice === 'object') return { type: 'tool', name: toolNames.encode(choice.name) };
  switch (choice) {
    case 'auto':
      return { type: 'auto' };
    case 'none':
      return { type: 'none' };
    case 'required':
      return { type: 'any' };
  }
}

/** The tool whose input is the JSON reply, named after the format and never like one of the request's tools. */
function outputToolFor(format: ResponseFormat, tools: readonly Anthropic.Tool[]): Anthropic.Tool {
  const wanted = createToolNameCodec([]).encode(format.name ?? DEFAULT_OUTPUT_TOOL_NAME);
  let name = wanted;
  for (let suffix = 2; tools.some((tool) => tool.name === name); suffix += 1) name = `${wanted.slice(0, 60)}_${suffix}`;
  return {
    name,
    description: format.description ?? 'Give the final answer as the input of this tool.',
    // A tool's input is always an object: without a schema any object will do.
    input_schema: (format.schema ?? { type: 'object' }) as Anthropic.Tool.InputSchema,
  };
}
