import type { ChatCompletionRequest } from '@mistralai/mistralai/models/components/chatcompletionrequest.js';
import type { ResponseFormat } from '@mistralai/mistralai/models/components/responseformat.js';
import type { ModelCapability, ModelRequest, ProviderWarning, ResponseFormat as JsonFormat, ToolChoice } from '../spec.js';
import { createToolNameCodec, type ToolNameCodec } from '../tool-names.js';
import { convertToMistralMessages, isSendable } from './convert-to-mistral-messages.js';

/** The request body both endpoints share (`stream` is set by the SDK function used). */
export type MistralRequestBody = Omit<ChatCompletionRequest, 'stream'>;

/** What a request is prepared for: the model, and the provider's name for warnings. */
export interface MistralRequestTarget {
  provider: string;
  modelId: string;
  capabilities?: ReadonlySet<ModelCapability> | undefined;
}

export interface PreparedMistralRequest {
  body: MistralRequestBody;
  warnings: ProviderWarning[];
  /** Decodes the tool names of the reply back to the request's. */
  toolNames: ToolNameCodec;
}

/** `providerOptions.mistral` keys passed through to the body; anything else becomes a warning. */
const PASSED_THROUGH_OPTIONS = [
  'reasoningEffort',
  'promptMode',
  'topP',
  'randomSeed',
  'safePrompt',
  'presencePenalty',
  'frequencyPenalty',
  'parallelToolCalls',
] as const;

/**
 * Our request → Mistral's body, plus a warning for each setting Mistral cannot honour. The SDK
 * validates types itself and refuses bad values before sending (mapped to BadRequestError).
 */
export function prepareMistralRequest(target: MistralRequestTarget, request: ModelRequest): PreparedMistralRequest {
  const { provider } = target;
  const warnings: ProviderWarning[] = [];
  const toolNames = createToolNameCodec((request.tools ?? []).map((tool) => tool.name));
  const messages = convertToMistralMessages(request.messages, toolNames);
  for (const message of request.messages) {
    if (message.role !== 'user' || typeof message.content === 'string') continue;
    for (const part of message.content) {
      if (isSendable(part) || part.type !== 'document' || part.source.type !== 'url') continue;
      warnings.push({
        type: 'unsupported',
        provider,
        feature: 'PDF URLs other than https',
        // The URL itself stays out of the warning: it may carry a signed token.
        details: `a PDF at a ${part.source.url.split(':')[0]}: URL was left out; attach the file itself instead`,
      });
    }
  }
  const body: MistralRequestBody = { model: target.modelId, messages };
  if (request.maxTokens !== undefined) body.maxTokens = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: {
        name: toolNames.encode(tool.name),
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parameters: tool.inputSchema,
      },
    }));
    if (request.toolChoice !== undefined) body.toolChoice = convertToolChoice(request.toolChoice, toolNames);
  }
  if (request.responseFormat !== undefined) {
    const format = convertResponseFormat(request.responseFormat, target.capabilities);
    body.responseFormat = format.responseFormat;
    if (format.schemaInstruction !== undefined) {
      // The schema the endpoint cannot enforce is at least put in front of the model.
      const first = messages[0];
      if (first?.role === 'system') first.content = `${String(first.content)}\n\n${format.schemaInstruction}`;
      else messages.unshift({ role: 'system', content: format.schemaInstruction });
      warnings.push({
        type: 'unsupported',
        provider,
        feature: 'JSON schemas',
        details: 'this model only guarantees JSON (json_object); the schema was put in the prompt, not enforced',
      });
    }
  }
  // Options keyed for other adapters are theirs: one request may fan out to several providers.
  const options = request.providerOptions?.mistral ?? {};
  const passedThrough: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if ((PASSED_THROUGH_OPTIONS as readonly string[]).includes(key)) passedThrough[key] = value;
    else {
      warnings.push({
        type: 'unsupported',
        provider,
        feature: `providerOptions.mistral.${key}`,
        details: `ignored; the known options are ${PASSED_THROUGH_OPTIONS.join(', ')}`,
      });
    }
  }
  return { body: { ...body, ...passedThrough }, warnings, toolNames };
}

/** `required` is Mistral's `any` (nonstream_tool_choice_function shows the named form). */
function convertToolChoice(choice: ToolChoice, toolNames: ToolNameCodec): NonNullable<MistralRequestBody['toolChoice']> {
  if (choice === 'required') return 'any';
  if (typeof choice === 'string') return choice;
  return { type: 'function', function: { name: toolNames.encode(choice.name) } };
}

/**
 * A schema goes as `json_schema` (nonstream_json_schema), sent `strict`: Mistral constrains the
 * output to any schema, without OpenAI's conditions on required properties. Without a schema, or
 * for a model whose capabilities say `json_object_only`, it is `json_object` (nonstream_json_object).
 */
function convertResponseFormat(
  format: JsonFormat,
  capabilities: ReadonlySet<ModelCapability> | undefined,
): { responseFormat: ResponseFormat; schemaInstruction?: string } {
  if (format.schema === undefined) return { responseFormat: { type: 'json_object' } };
  if (capabilities?.has('json_object_only')) {
    return {
      responseFormat: { type: 'json_object' },
      schemaInstruction: `Answer with one JSON object that matches this JSON Schema:\n${JSON.stringify(format.schema)}`,
    };
  }
  return {
    responseFormat: {
      type: 'json_schema',
      jsonSchema: {
        name: format.name ?? 'response',
        ...(format.description === undefined ? {} : { description: format.description }),
        schemaDefinition: format.schema,
        strict: true,
      },
    },
  };
}
