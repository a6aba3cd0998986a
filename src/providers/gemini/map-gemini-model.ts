import type { Model } from '@google/genai';
import type { RemoteModel } from '../spec.js';

/** One entry of `GET /v1beta/models`: the id as llmo's config spells it, without `models/`. */
export function mapGeminiModel(model: Model): RemoteModel {
  const remote: RemoteModel = { id: (model.name ?? '').replace(/^models\//, '') };
  if (model.displayName !== undefined) remote.displayName = model.displayName;
  if (model.inputTokenLimit !== undefined) remote.contextWindow = model.inputTokenLimit;
  if (model.outputTokenLimit !== undefined) remote.maxOutputTokens = model.outputTokenLimit;
  return remote;
}
