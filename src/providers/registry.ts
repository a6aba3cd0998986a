/**
 * Model references → models. A reference is `provider:model`, an alias from models.yaml, a model
 * name a provider lists, or a bare provider name (its default_model). Vendor adapters are loaded
 * lazily, so a run that talks to one vendor never loads another's SDK.
 */
import { ConfigError } from '../errors.js';
import { baseURLVariable, type ProviderInfo } from '../config/catalog.js';
import type { ModelRef } from '../config/resolve-model-ref.js';
import { noKeyError } from './provider-errors.js';
import {
  type AttachmentLimits,
  type BatchApi,
  ProviderError,
  redactSecret,
  type CallOptions,
  type CreateLanguageModel,
  type EmbedOptions,
  type GenerateResult,
  type LanguageModel,
  type ModelRequest,
  type StreamPart,
} from './spec.js';

// Resolving a reference is a lookup in the catalog, so it lives with the catalog (src/config),
// where the orchestrator may reach it through the resolver it is given; re-exported here for
// the callers that build models.
export { allReferences, type ModelRef, resolveModelRef } from '../config/resolve-model-ref.js';

/** The base URL a provider's requests go to: `<PROVIDER>_BASE_URL`, else models.yaml. */
export function baseURLFor(provider: ProviderInfo, env: NodeJS.ProcessEnv): string | undefined {
  return env[baseURLVariable(provider.name)] || provider.baseURL;
}

/**
 * The base URL, checked: only the provider named after its adapter may fall back to that vendor's
 * own endpoint. Any other (a user's OpenAI-compatible server) without a URL would otherwise send
 * its key and prompts to api.openai.com.
 */
export function endpointOf(provider: ProviderInfo, env: NodeJS.ProcessEnv): string | undefined {
  const baseURL = baseURLFor(provider, env);
  if (baseURL === undefined && provider.name !== provider.api) {
    throw new ConfigError(`provider "${provider.name}" has no base_url, so llmo does not know where to send its requests`, {
      hint: `set base_url under ${provider.name} in models.yaml (e.g. http://localhost:8000/v1), or ${baseURLVariable(provider.name)} in the environment`,
    });
  }
  return baseURL;
}

export interface CreateModelOptions {
  /** Undefined only for a keyless provider (`api_key_name: null`). */
  apiKey: string | undefined;
  env: NodeJS.ProcessEnv;
}

/**
 * Builds the model, loading only the adapter (and SDK) it needs. A provider with `api_key_name`
 * needs a key; one without (`null`) is keyless, and every adapter treats it the same way.
 */
export async function createLanguageModel(ref: ModelRef, options: CreateModelOptions): Promise<LanguageModel> {
  if (ref.provider.apiKeyName !== undefined && !options.apiKey) throw noKeyError(ref.provider.name);
  const baseURL = endpointOf(ref.provider, options.env);
  const create = await loadAdapter(ref.provider.api);
  const model = create({
    provider: ref.provider.name,
    modelId: ref.modelId,
    apiKey: options.apiKey,
    baseURL,
    headers: ref.provider.headers,
    capabilities: ref.capabilities,
  });
  return options.apiKey ? redactingModel(model, options.apiKey) : model;
}

/**
 * The model as every caller sees it: whatever the vendor (or a proxy in between) sends back is
 * cleaned of the key before it can reach a message, a request id, a log or a file. The adapters
 * already redact the words they format; this is the one place that knows the key for every
 * field they pass on as they got it (request ids come from response headers, which a hostile or
 * broken endpoint can fill with the key it was sent).
 */
function redactingBatch(batch: BatchApi, clean: <T>(error: T) => T): BatchApi {
  const cleaned = <T>(promise: Promise<T>) => promise.catch((error: unknown) => Promise.reject(clean(error)));
  return {
    submit: (items, callOptions) => cleaned(batch.submit(items, callOptions)),
    status: (id, callOptions) => cleaned(batch.status(id, callOptions)),
    cancel: (id, callOptions) => cleaned(batch.cancel(id, callOptions)),
    async *results(id, callOptions) {
      try {
        yield* batch.results(id, callOptions);
      } catch (error) {
        throw clean(error);
      }
    },
  };
}

export function redactingModel(model: LanguageModel, apiKey: string): LanguageModel {
  const clean = <T>(error: T): T => redactError(error, apiKey);
  const wrapped: LanguageModel = {
    provider: model.provider,
    modelId: model.modelId,
    ...(model.batch ? { batch: redactingBatch(model.batch, clean) } : {}),
    async *stream(request: ModelRequest, callOptions?: CallOptions): AsyncIterable<StreamPart> {
      try {
        for await (const part of model.stream(request, callOptions)) yield redactPart(part, apiKey);
      } catch (error) {
        throw clean(error);
      }
    },
    async generate(request: ModelRequest, callOptions?: CallOptions): Promise<GenerateResult> {
      try {
        const result = await model.generate(request, callOptions);
        return result.requestId === undefined ? result : { ...result, requestId: redactSecret(result.requestId, apiKey) };
      } catch (error) {
        throw clean(error);
      }
    },
  };
  if (model.embed) {
    const embed = model.embed.bind(model);
    wrapped.embed = (texts: readonly string[], embedOptions?: EmbedOptions) =>
      embed(texts, embedOptions).catch((error: unknown) => Promise.reject(clean(error)));
  }
  if (model.load) {
    const load = model.load.bind(model);
    wrapped.load = () => load().catch((error: unknown) => Promise.reject(clean(error)));
  }
  if (model.listModels) {
    const listModels = model.listModels.bind(model);
    wrapped.listModels = (callOptions?: CallOptions) => listModels(callOptions).catch((error: unknown) => Promise.reject(clean(error)));
  }
  return wrapped;
}

function redactPart(part: StreamPart, apiKey: string): StreamPart {
  if (part.type === 'error') return { type: 'error', error: redactError(part.error, apiKey) };
  if (part.type === 'finish' && part.requestId !== undefined) return { ...part, requestId: redactSecret(part.requestId, apiKey) };
  return part;
}

/** Cleans an error in place (its class, and so its exit code and retry behaviour, are kept). */
function redactError<T>(error: T, apiKey: string): T {
  if (!(error instanceof Error)) return error;
  const fields = error as unknown as { message: string; requestId?: string | undefined; hint?: string | undefined };
  fields.message = redactSecret(fields.message, apiKey);
  if (error instanceof ProviderError && error.requestId !== undefined)
    Object.defineProperty(error, 'requestId', { value: redactSecret(error.requestId, apiKey) });
  if (typeof fields.hint === 'string') Object.defineProperty(error, 'hint', { value: redactSecret(fields.hint, apiKey) });
  return error;
}

async function loadAdapter(api: ProviderInfo['api']): Promise<CreateLanguageModel> {
  // Literal specifiers, one per adapter, so the bundler gives each vendor its own chunk.
  switch (api) {
    case 'anthropic':
      return (await import('./anthropic/index.js')).createModel;
    case 'openai':
      return (await import('./openai/index.js')).createModel;
    case 'gemini':
      return (await import('./gemini/index.js')).createModel;
    case 'mistral':
      return (await import('./mistral/index.js')).createModel;
  }
}

/** How much image and PDF data the adapter's endpoint takes; loaded only when a request carries some. */
export async function loadAttachmentLimits(api: ProviderInfo['api']): Promise<AttachmentLimits> {
  switch (api) {
    case 'anthropic':
      return (await import('./anthropic/attachment-limits.js')).attachmentLimits;
    case 'openai':
      return (await import('./openai/attachment-limits.js')).attachmentLimits;
    case 'gemini':
      return (await import('./gemini/attachment-limits.js')).attachmentLimits;
    case 'mistral':
      return (await import('./mistral/attachment-limits.js')).attachmentLimits;
  }
}
