import type { RemoteModel } from '../spec.js';

/** One entry of `GET /models`: OpenAI sends `created` (Unix seconds), DeepSeek only id and owner. */
export interface OpenAIWireModel {
  id: string;
  created?: number | null;
}

export function mapOpenAIModel(model: OpenAIWireModel): RemoteModel {
  const created = model.created;
  return {
    id: model.id,
    ...(typeof created === 'number' && Number.isFinite(created) ? { createdAt: new Date(created * 1000).toISOString() } : {}),
  };
}
