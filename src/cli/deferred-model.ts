/**
 * A model whose adapter (and so its vendor SDK) loads on its first request, not when it is
 * resolved: an `ask` answered from the response cache then loads no SDK at all, and costs about
 * what `llmo --version` does. Not for vendor batches, whose `batch` API must be there at once.
 */
import type { CallOptions, EmbedOptions, LanguageModel, ModelRequest, StreamPart } from '../providers/spec.js';

export function deferredModel(provider: string, modelId: string, create: () => Promise<LanguageModel>): LanguageModel {
  let created: Promise<LanguageModel> | undefined;
  const model = () => {
    created ??= create();
    return created;
  };
  return {
    provider,
    modelId,
    async *stream(request: ModelRequest, options?: CallOptions): AsyncIterable<StreamPart> {
      yield* (await model()).stream(request, options);
    },
    async generate(request: ModelRequest, options?: CallOptions) {
      return (await model()).generate(request, options);
    },
    async embed(texts: readonly string[], options?: EmbedOptions) {
      const loaded = await model();
      if (!loaded.embed) throw new Error(`${provider}:${modelId} has no embeddings endpoint`);
      return loaded.embed(texts, options);
    },
    async listModels(options?: CallOptions) {
      const loaded = await model();
      return loaded.listModels ? loaded.listModels(options) : [];
    },
    async load() {
      await (await model()).load?.();
    },
  };
}
