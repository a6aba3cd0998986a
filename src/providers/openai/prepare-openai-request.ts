import type {
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import {
  messageText,
  type ModelRequest,
  type ProviderSettings,
  type ProviderWarning,
  type ResponseFormat,
  type ToolChoice,
  type ToolDefinition,
} from '../spec.js';
import { createToolNameCodec, type ToolNameCodec } from '../tool-names.js';
import { convertToOpenAIMessages } from './convert-to-openai-messages.js';
import { isStrictJsonSchema } from './is-strict-json-schema.js';
import { resolveOpenAIRequestShape } from './openai-request-shape.js';

/** The request body without `stream`/`stream_options`, which each endpoint call adds. */
export type OpenAIRequestBody = Omit<ChatCompletionCreateParamsBase, 'stream' | 'stream_options'>;

export interface PreparedOpenAIRequest {
  body: OpenAIRequestBody;
  /** Settings that could not be honoured as given; they become `warning` stream parts. */
  warnings: ProviderWarning[];
  /** Decodes the tool names of the reply back to the request's names. */
  toolNames: ToolNameCodec;
}

/** Body fields llmo itself owns; providerOptions may not replace them. */
const RESERVED_FIELDS = new Set(['model', 'messages', 'stream', 'stream_options']);

/** OpenAI requires a `json_schema.name` of `[a-zA-Z0-9_-]{1,64}`. */
const DEFAULT_SCHEMA_NAME = 'response';

function optionsFor(request: ModelRequest, key: string): Record<string, unknown> {
  const options = request.providerOptions?.[key];
  return options !== null && typeof options === 'object' && !Array.isArray(options) ? options : {};
}

/** Every tool name of the request, the history's calls included, so that encodings agree across turns. */
function toolNamesOf(request: ModelRequest): string[] {
  const names = new Set((request.tools ?? []).map((tool) => tool.name));
  for (const message of request.messages) {
    if (message.role === 'assistant') for (const call of message.toolCalls ?? []) names.add(call.name);
    if (message.role === 'tool') for (const result of message.results) names.add(result.name);
  }
  return [...names];
}

/**
 * Builds the chat-completions body for a request. The model's capabilities decide the request's
 * shape (see resolveOpenAIRequestShape): `max_completion_tokens` or `max_tokens`, whether
 * temperature is sent, how many stop sequences, and `json_schema` or `json_object`.
 * Vendor-only fields come from `providerOptions.openai` and then `providerOptions[<provider>]`
 * (e.g. `deepseek: { thinking: { type: 'enabled' } }`) and are sent as they are.
 */
export function prepareOpenAIRequest(
  request: ModelRequest,
  settings: Pick<ProviderSettings, 'provider' | 'modelId' | 'capabilities'>,
): PreparedOpenAIRequest {
  const { provider, modelId } = settings;
  const shape = resolveOpenAIRequestShape(settings);
  const warnings: ProviderWarning[] = [];
  const unsupported = (feature: string, details: string) => warnings.push({ type: 'unsupported', provider, feature, details });
  const toolNames = createToolNameCodec(toolNamesOf(request));

  const messages = convertToOpenAIMessages(request.messages, { toolNames, onUnsupported: unsupported });
  const body: OpenAIRequestBody = { model: modelId, messages };

  if (request.maxTokens !== undefined) {
    if (shape.maxCompletionTokens) body.max_completion_tokens = request.maxTokens;
    else body.max_tokens = request.maxTokens;
  }

  if (request.temperature !== undefined) {
    if (shape.noTemperature && request.temperature !== 1) {
      unsupported('temperature', `${modelId} takes only the default temperature; it was not sent`);
    } else {
      body.temperature = request.temperature;
    }
  }

  if (request.stop !== undefined && request.stop.length > 0) {
    const limit = shape.maxStopSequences;
    if (limit !== undefined && request.stop.length > limit) {
      unsupported('stop sequences', `at most ${limit} are accepted; only the first ${limit} were sent`);
      body.stop = request.stop.slice(0, limit);
    } else {
      body.stop = [...request.stop];
    }
  }

  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => convertTool(tool, toolNames, shape.strictTools));
    if (request.toolChoice !== undefined) body.tool_choice = convertToolChoice(request.toolChoice, toolNames);
  }

  if (request.responseFormat) {
    if (shape.structuredOutput === 'json_object' || request.responseFormat.schema === undefined) {
      body.response_format = { type: 'json_object' };
      if (request.responseFormat.schema !== undefined || !mentionsJson(request)) {
        body.messages = withJsonInstruction(messages, request.responseFormat);
      }
      if (request.responseFormat.schema !== undefined) {
        unsupported('JSON schema', `${modelId} takes only JSON objects; the schema was put into the prompt and is not enforced`);
      }
    } else {
      const { schema, name, description } = request.responseFormat;
      const strict = isStrictJsonSchema(schema);
      if (!strict) {
        unsupported(
          'strict JSON schema',
          'an object in the schema allows other properties or leaves some optional; it was sent non-strict, so the reply may not match it',
        );
      }
      body.response_format = {
        type: 'json_schema',
        json_schema: {
          name: name ? createToolNameCodec([name]).encode(name) : DEFAULT_SCHEMA_NAME,
          schema,
          strict,
          ...(description ? { description } : {}),
        },
      };
    }
  }

  const extra = { ...optionsFor(request, 'openai'), ...(provider === 'openai' ? {} : optionsFor(request, provider)) };
  for (const [field, value] of Object.entries(extra)) {
    if (RESERVED_FIELDS.has(field)) {
      unsupported(`providerOptions.${field}`, `llmo sets \`${field}\` itself; the option was ignored`);
      continue;
    }
    (body as unknown as Record<string, unknown>)[field] = value;
  }

  return { body, warnings, toolNames };
}

/** As recorded: `{type: 'function', function: {name, description, parameters, strict?}}`. */
function convertTool(tool: ToolDefinition, toolNames: ToolNameCodec, strictAllowed: boolean): ChatCompletionTool {
  const strict = strictAllowed && isStrictJsonSchema(tool.inputSchema);
  return {
    type: 'function',
    function: {
      name: toolNames.encode(tool.name),
      ...(tool.description ? { description: tool.description } : {}),
      parameters: tool.inputSchema,
      ...(strict ? { strict: true } : {}),
    },
  };
}

function convertToolChoice(choice: ToolChoice, toolNames: ToolNameCodec): ChatCompletionToolChoiceOption {
  if (typeof choice === 'string') return choice;
  return { type: 'function', function: { name: toolNames.encode(choice.name) } };
}

/** Whether the prompt already asks for JSON (nonstream_json_object's does, in its own words). */
function mentionsJson(request: ModelRequest): boolean {
  return request.messages.some((message) => /json/i.test(messageText(message)));
}

/**
 * `json_object` needs the prompt to ask for JSON (OpenAI answers 400 when no message says
 * "json"), and it is the only place a schema can go when the endpoint has no json_schema.
 * The instruction goes after the leading system messages.
 */
function withJsonInstruction(messages: ChatCompletionMessageParam[], format: ResponseFormat): ChatCompletionMessageParam[] {
  const lines = ['Reply with one JSON object and nothing else.'];
  if (format.description) lines.push(format.description);
  if (format.schema !== undefined) {
    lines.push(`The object must match this JSON Schema${format.name ? ` (${format.name})` : ''}:`, JSON.stringify(format.schema));
  }
  const instruction: ChatCompletionMessageParam = { role: 'system', content: lines.join('\n') };
  const leadingSystem = messages.findIndex((message) => message.role !== 'system');
  const at = leadingSystem === -1 ? messages.length : leadingSystem;
  return [...messages.slice(0, at), instruction, ...messages.slice(at)];
}
