/**
 * Model references → catalog entries. A reference is `provider:model`, an alias from models.yaml,
 * a model name a provider lists, or a bare provider name (its default_model). A pure lookup in
 * the catalog: no keys, no adapters (src/providers/registry.ts builds the model from the result).
 */
import { ConfigError } from '../errors.js';
import { capabilitiesOf, type ModelCatalog, type ModelInfo, type ProviderInfo } from './catalog.js';
import { closeMatches } from './closest-match.js';

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
