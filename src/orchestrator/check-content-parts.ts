/**
 * Images and PDFs go only to models that can read them: a request that would send one to a model
 * without the `vision` (or `pdf`) capability is refused before any call, naming a model that can.
 */
import { capabilitiesOf, type ModelCatalog } from '../config/catalog.js';
import { ConfigError } from '../errors.js';
import type { ModelRequest } from '../providers/spec.js';

const NEEDS = {
  image: { capability: 'vision', what: 'images' },
  document: { capability: 'pdf', what: 'PDF documents' },
} as const;

/** Throws a ConfigError (exit 3) when the request holds a part the model cannot read. */
export function checkContentParts(request: ModelRequest, model: { provider: string; modelId: string }, catalog: ModelCatalog): void {
  const provider = catalog.providers.get(model.provider);
  if (!provider) return;
  const capabilities = capabilitiesOf(catalog, provider, model.modelId);
  for (const message of request.messages) {
    if (message.role !== 'user' || typeof message.content === 'string') continue;
    for (const part of message.content) {
      if (part.type === 'text') continue;
      const { capability, what } = NEEDS[part.type];
      if (capabilities.has(capability)) continue;
      const other = modelWith(catalog, capability, model.provider);
      throw new ConfigError(
        `${model.provider}:${model.modelId} cannot read ${what} (it has no \`${capability}\` capability in models.yaml)${other ? `; use one that can, e.g. -m ${other}` : ''}`,
        { hint: `if it can, add ${capability} to its capabilities in models.yaml (\`llmo models\` shows what each model can do)` },
      );
    }
  }
}

/** A chat model with the capability: the same provider's default first, then its others, then anyone's. */
function modelWith(catalog: ModelCatalog, capability: string, preferredProvider: string): string | undefined {
  const providers = [...catalog.providers.values()].sort(
    (left, right) => Number(right.name === preferredProvider) - Number(left.name === preferredProvider),
  );
  for (const provider of providers) {
    const names = [...provider.models.map((model) => model.name)].sort(
      (left, right) => Number(right === provider.defaultModel) - Number(left === provider.defaultModel),
    );
    for (const name of names) {
      const capabilities = capabilitiesOf(catalog, provider, name);
      if (capabilities.has(capability) && !capabilities.has('embeddings')) return `${provider.name}:${name}`;
    }
  }
  return undefined;
}
