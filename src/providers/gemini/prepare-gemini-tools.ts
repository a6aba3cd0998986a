import type { FunctionCallingConfigMode, Tool, ToolConfig } from '@google/genai';
import type { ModelRequest } from '../spec.js';
import type { ToolNameCodec } from '../tool-names.js';

/** The SDK's enum values, spelt out: importing the enum itself would load the SDK with this module. */
const MODE = { none: 'NONE', any: 'ANY' } as Record<'none' | 'any', FunctionCallingConfigMode>;

export interface PreparedGeminiTools {
  tools?: Tool[];
  toolConfig?: ToolConfig;
}

/**
 * The request's tools as one `functionDeclarations` tool, each input schema sent as plain JSON
 * Schema (`parametersJsonSchema`, as the recorded requests do; `parameters` would want Google's
 * OpenAPI subset). `auto` is Gemini's default and sends no toolConfig; `required` and a named
 * tool are mode ANY, the latter limited to that function.
 */
export function prepareGeminiTools(request: ModelRequest, codec: ToolNameCodec): PreparedGeminiTools {
  const definitions = request.tools ?? [];
  if (definitions.length === 0) return {};
  const tools: Tool[] = [
    {
      functionDeclarations: definitions.map((tool) => ({
        name: codec.encode(tool.name),
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parametersJsonSchema: tool.inputSchema,
      })),
    },
  ];
  const choice = request.toolChoice ?? 'auto';
  if (choice === 'auto') return { tools };
  if (choice === 'none') return { tools, toolConfig: { functionCallingConfig: { mode: MODE.none } } };
  if (choice === 'required') return { tools, toolConfig: { functionCallingConfig: { mode: MODE.any } } };
  return {
    tools,
    toolConfig: { functionCallingConfig: { mode: MODE.any, allowedFunctionNames: [codec.encode(choice.name)] } },
  };
}
