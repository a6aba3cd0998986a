/**
 * ask's and chat's fallback: the model, then each fallback model in order, until one answers.
 * Unlike a chain's branch (run-branch.ts), the fallbacks are resolved only when needed, so a
 * fallback without a key costs nothing while the main model works, and a failed fallback's
 * resolution is one more failure to report rather than the end of the run.
 */
import { LlmoError } from '../errors.js';
import type { CallResult, ModelResolver, ResolvedModel } from './call-model.js';

export interface FallbackOptions {
  first: ResolvedModel;
  /**
   * References tried in order after `first` fails; one equal to a model already tried is skipped.
   * None named (no --fallback, no main_llm.fallback): a routed `first` falls back to the next
   * models of its ranking.
   */
  fallbacks: readonly string[];
  resolve: ModelResolver;
  call: (model: ResolvedModel) => Promise<CallResult>;
  /** Told before each fallback: why the last model failed, and what comes next. */
  onFallback?: (message: string) => void;
  /** Told as a fallback model is called, so whoever shows the reply can name the model that gave it. */
  onFallbackModel?: (model: ResolvedModel) => void;
}

export async function callWithFallback(options: FallbackOptions): Promise<CallResult> {
  const tried = new Set([`${options.first.provider}:${options.first.modelId}`]);
  let result = await options.call(options.first);
  const pending = [...(options.fallbacks.length > 0 ? options.fallbacks : (options.first.routed?.runnersUp ?? []))];
  while (mayFallBack(result) && pending.length > 0) {
    const ref = pending.shift()!;
    let next: ResolvedModel;
    try {
      next = await options.resolve(ref);
    } catch (error) {
      if (!(error instanceof LlmoError)) throw error;
      options.onFallback?.(`fallback ${ref} skipped: ${error.message}`);
      continue;
    }
    const name = `${next.provider}:${next.modelId}`;
    if (tried.has(name)) continue;
    tried.add(name);
    options.onFallback?.(`${result.provider}:${result.modelId} failed (${result.error?.message ?? 'no answer'}); trying ${name}`);
    options.onFallbackModel?.(next);
    result = await options.call(next);
  }
  return result;
}

/**
 * Only a failure with nothing shown yet falls back: a reply cut off half-way has been printed,
 * and an interrupted call was the user's wish.
 */
function mayFallBack(result: CallResult): boolean {
  return result.status === 'error' && result.text === '' && result.reasoning === '';
}
