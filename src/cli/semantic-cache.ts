/**
 * `cache.semantic` for a run: the index under the cache directory and the configured embedding
 * model behind `embed`, resolved (key, SDK) only when the exact cache has missed on a prompt the
 * semantic cache may answer.
 */
import path from 'node:path';
import type { SemanticSettings } from '../cache/semantic-index.js';
import type { ResolvedModel } from '../orchestrator/call-model.js';
import { costOf } from '../usage/pricing.js';
import { createResolver, getConfig } from './context.js';

export async function semanticSettings(): Promise<SemanticSettings | undefined> {
  const { settings, paths } = getConfig();
  const configured = settings.cache.semantic;
  if (!configured) return undefined;
  const { SemanticIndex } = await import('../cache/semantic-index.js');
  let embedder: Promise<ResolvedModel> | undefined;
  return {
    threshold: configured.threshold,
    index: new SemanticIndex(path.join(paths.cacheDir, 'semantic')),
    async embed(text) {
      embedder ??= createResolver({ quiet: true })(configured.embeddingModel);
      const resolved = await embedder;
      if (!resolved.model.embed) {
        throw new Error(`${resolved.provider}:${resolved.modelId} (cache.semantic.embedding_model) has no embeddings endpoint`);
      }
      const started = Date.now();
      const result = await resolved.model.embed([text]);
      const vector = result.embeddings[0];
      if (!vector?.length) throw new Error(`${resolved.provider}:${resolved.modelId} returned no embedding`);
      const inputTokens = result.usage?.inputTokens;
      return {
        vector,
        provider: resolved.provider,
        model: resolved.modelId,
        inputTokens,
        costUsd: inputTokens === undefined ? undefined : costOf({ inputTokens, outputTokens: 0 }, resolved.info?.pricing),
        durationMs: Date.now() - started,
      };
    },
  };
}
