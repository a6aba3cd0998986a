/**
 * Our own retry loop around a model (the SDKs' retries are off): exponential backoff with full
 * jitter on 429, 5xx, overload and network failures, honouring the vendor's retry-after. Never
 * retries once any text of a stream has been passed on, since the user has already seen it.
 */
import {
  describeProviderError,
  ProviderError,
  RateLimitError,
  type CallOptions,
  type GenerateResult,
  type LanguageModel,
  type ModelRequest,
  type StreamPart,
} from './spec.js';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A vendor asking for a longer wait than this makes us give up instead of sleeping. */
  maxRetryAfterMs?: number;
  /** Told before each wait, e.g. to print "retrying in 2.1 s" on stderr. */
  onRetry?: ((info: { attempt: number; delayMs: number; error: ProviderError }) => void) | undefined;
  /** For tests. */
  random?: () => number;
}

/** What a person is told before a retry: `openai: … (request id …); retrying in 1.2 s (attempt 1 of 3)`. */
export function retryNotice(info: { attempt: number; delayMs: number; error: ProviderError }, retries: number): string {
  return `${describeProviderError(info.error)}; retrying in ${(info.delayMs / 1000).toFixed(1)} s (attempt ${info.attempt} of ${retries})`;
}

export function retryDelayMs(error: ProviderError, attempt: number, policy: RetryPolicy): number | undefined {
  if (!error.retryable || attempt >= policy.retries) return undefined;
  if (error instanceof RateLimitError && error.retryAfterMs !== undefined) {
    if (error.retryAfterMs > (policy.maxRetryAfterMs ?? 60_000)) return undefined;
    return error.retryAfterMs;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round((policy.random ?? Math.random)() * ceiling);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function withRetry(model: LanguageModel, policy: RetryPolicy): LanguageModel {
  return {
    provider: model.provider,
    modelId: model.modelId,
    async *stream(request: ModelRequest, options: CallOptions = {}): AsyncIterable<StreamPart> {
      for (let attempt = 0; ; attempt += 1) {
        let shown = false;
        let failure: ProviderError | undefined;
        for await (const part of model.stream(request, options)) {
          if (part.type === 'error' && !shown) {
            failure = part.error;
            break;
          }
          if (part.type === 'text-delta' || part.type === 'reasoning-delta') shown = true;
          yield part;
        }
        if (!failure) return;
        const delayMs = retryDelayMs(failure, attempt, policy);
        if (delayMs === undefined) {
          yield { type: 'error', error: failure };
          return;
        }
        policy.onRetry?.({ attempt: attempt + 1, delayMs, error: failure });
        await sleep(delayMs, options.signal);
      }
    },
    async generate(request: ModelRequest, options: CallOptions = {}): Promise<GenerateResult> {
      for (let attempt = 0; ; attempt += 1) {
        try {
          return await model.generate(request, options);
        } catch (error) {
          if (!(error instanceof ProviderError)) throw error;
          const delayMs = retryDelayMs(error, attempt, policy);
          if (delayMs === undefined) throw error;
          policy.onRetry?.({ attempt: attempt + 1, delayMs, error });
          await sleep(delayMs, options.signal);
        }
      }
    },
  };
}
