import type { ModelList } from '@mistralai/mistralai/models/components/modellist.js';
import type { RemoteModel } from '../spec.js';

/**
 * `GET /v1/models` → our models (models_list.json). Mistral's `name` repeats the id (then it is
 * left out) and its description is a sentence, not a name; `created` is in seconds.
 */
export function convertMistralModels(list: ModelList): RemoteModel[] {
  return (list.data ?? []).flatMap((card) => {
    if (!('id' in card) || typeof card.id !== 'string') return [];
    const model: RemoteModel = { id: card.id };
    if ('name' in card && typeof card.name === 'string' && card.name !== '' && card.name !== card.id) model.displayName = card.name;
    if ('created' in card && typeof card.created === 'number') model.createdAt = new Date(card.created * 1000).toISOString();
    if ('maxContextLength' in card && typeof card.maxContextLength === 'number') model.contextWindow = card.maxContextLength;
    return [model];
  });
}
