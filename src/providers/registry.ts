/**
 * Model references → models. A reference is `provider:model`, an alias from models.yaml, a model
 * name a provider lists, or a bare provider name (its default_model). Vendor adapters are loaded
 * lazily, so a run that talks to one vendor never loads another's SDK.
 */
import { ConfigError } from '../errors.js';
import { baseURLVariable, capabilitiesOf, type ModelCatalog, type ModelInfo, type ProviderInfo } from '../config/catalog.js';
import { closeMatches } from '../config/closest-match.js';
import { noKeyError } from './provider-errors.js';
import {
  type AttachmentLimits,
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

export interface ModelRef {
  /** What the user typed. */
  ref: string;
  provider: ProviderInfo;
  modelId: string;
  /** Undefined when the provider does not list the model: it is passed through, unpriced. */
  info: ModelInfo | undefined;
  /** What the model can do (models.yaml, else defaults): adapters and checks decide by it. */
  capabilities: ReadonlySet<string>;
}

export function resolveModelRef(catalog: ModelCatalog, ref: string): ModelRef {
  const trimmed = ref.trim();
  if (trimmed === '')
    throw new ConfigError('empty model reference', { hint: 'use provider:model, an alias or a provider name (llmo models lists them)' });
  const colon = trimmed.indexOf(':');
  if (colon > 0) {
    const provider = catalog.providers.get(trimmed.slice(0, colon));
    const modelId = trimmed.slice(colon + 1);
    if (provider && modelId) {
      const info = findModel(provider, modelId);
      const id = info?.name ?? modelId;
      return { ref: trimmed, provider, modelId: id, info, capabilities: capabilitiesOf(catalog, provider, id) };
    }
    if (provider) {
      throw new ConfigError(`"${trimmed}" names no model after the provider`, {
        hint: `name one (-m ${provider.name}:${provider.defaultModel ?? 'MODEL'}), or give the provider alone (-m ${provider.name}) for its default_model; llmo models lists them`,
      });
    }
  }
  const provider = catalog.providers.get(trimmed);
  if (provider) {
    if (!provider.defaultModel) {
      throw new ConfigError(`provider "${provider.name}" has no default_model`, {
        hint: `name a model: -m ${provider.name}:MODEL, or set default_model in models.yaml`,
      });
    }
    const info = findModel(provider, provider.defaultModel);
    const id = provider.defaultModel;
    return { ref: trimmed, provider, modelId: id, info, capabilities: capabilitiesOf(catalog, provider, id) };
  }
  const matches = [...catalog.providers.values()].flatMap((candidate) => {
    const info = findModel(candidate, trimmed);
    return info ? [{ candidate, info }] : [];
  });
  if (matches.length > 1) {
    // Two providers list this model (aliases are unique, see buildCatalog): never pick one silently.
    const choices = matches.map(({ candidate, info }) => `${candidate.name}:${info.name}`);
    throw new ConfigError(`"${trimmed}" is a model of ${matches.map(({ candidate }) => candidate.name).join(' and ')}; say which`, {
      hint: `use ${choices.join(' or ')}`,
    });
  }
  const [match] = matches;
  if (match) {
    const { candidate, info } = match;
    return { ref: trimmed, provider: candidate, modelId: info.name, info, capabilities: capabilitiesOf(catalog, candidate, info.name) };
  }
  const providerPart = colon > 0 ? trimmed.slice(0, colon) : undefined;
  const suggestions = providerPart
    ? closeMatches(providerPart, [...catalog.providers.keys()]).map((name) => `${name}:${trimmed.slice(colon + 1)}`)
    : closeMatches(trimmed, allReferences(catalog));
  const unknownProvider =
    colon > 0 ? `unknown provider "${trimmed.slice(0, colon)}" in "${trimmed}"` : `unknown model or alias "${trimmed}"`;
  throw new ConfigError(suggestions.length ? `${unknownProvider}; did you mean ${suggestions.join(', ')}?` : unknownProvider, {
    hint: 'llmo models lists every provider, model and alias; add your own in models.yaml',
  });
}

function findModel(provider: ProviderInfo, name: string): ModelInfo | undefined {
  return provider.models.find((model) => model.name === name) ?? provider.models.find((model) => model.aliases.includes(name));
}

export function allReferences(catalog: ModelCatalog): string[] {
  const references: string[] = [];
  for (const provider of catalog.providers.values()) {
    references.push(provider.name);
    for (const model of provider.models) references.push(`${provider.name}:${model.name}`, ...model.aliases);
  }
  return references;
}

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
export function redactingModel(model: LanguageModel, apiKey: string): LanguageModel {
  const clean = <T>(error: T): T => redactError(error, apiKey);
  const wrapped: LanguageModel = {
    provider: model.provider,
    modelId: model.modelId,
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
