/**
 * A parallel stage's `merge:`, `merge_model:` and `merge_prompt:` (docs/chains.md, Merging):
 * only the shape is checked here; whether the model exists and the stage has the schema
 * first_valid needs is validate-chain's job.
 */
import type { ChainOrigin, FieldPath, MergeSpec, MergeStrategy } from './chain-definition.js';

export const MERGE_FIELDS = ['merge', 'merge_model', 'merge_prompt'];
const STRATEGIES: readonly MergeStrategy[] = ['concat', 'judge', 'vote', 'first_valid'];

export function parseMerge(origin: ChainOrigin, at: FieldPath, raw: Record<string, unknown>, parallel: boolean): MergeSpec | undefined {
  const written = MERGE_FIELDS.find((field) => raw[field] !== undefined && raw[field] !== null);
  if (written === undefined) return undefined;
  if (!parallel)
    throw origin.error([...at, written], 'merges the branches of a parallel stage, and this step has none', 'add parallel: [MODEL, …]');
  const strategy = raw.merge ?? 'concat';
  if (typeof strategy !== 'string' || !STRATEGIES.includes(strategy as MergeStrategy)) {
    throw origin.error([...at, 'merge'], `expected one of ${STRATEGIES.join(', ')}`);
  }
  const spec: MergeSpec = { strategy: strategy as MergeStrategy, at: [...at, 'merge'] };
  if (raw.merge_model !== undefined && raw.merge_model !== null) {
    if (typeof raw.merge_model !== 'string' || raw.merge_model.trim() === '')
      throw origin.error([...at, 'merge_model'], 'must be a model reference: provider:model, an alias or a provider name');
    spec.model = raw.merge_model.trim();
  }
  if (raw.merge_prompt !== undefined && raw.merge_prompt !== null) {
    if (typeof raw.merge_prompt !== 'string') throw origin.error([...at, 'merge_prompt'], 'must be a string');
    spec.prompt = raw.merge_prompt;
  }
  if (spec.strategy === 'judge' && spec.model === undefined) {
    throw origin.error([...at, 'merge'], 'merge: judge needs merge_model, the model that picks the best answer', 'add merge_model: MODEL');
  }
  if (spec.strategy !== 'judge' && (spec.model !== undefined || spec.prompt !== undefined)) {
    const field = spec.model !== undefined ? 'merge_model' : 'merge_prompt';
    throw origin.error([...at, field], `is only used by merge: judge, and this stage merges by ${spec.strategy}`);
  }
  return spec;
}
