/**
 * Our own retry loop around a model (the SDKs' retries are off): exponential backoff with full
 * jitter on 429, 5xx, overload and network failures, honouring the vendor's retry-after. Never
 * retries once any text of a stream has been passed on, since the user has already seen it.
 *
 * It also holds llmo's one timeout, the silence timer (`--timeout`): it runs only while an attempt
 * waits for the provider, and restarts whenever the provider says anything. The waits between
 * attempts and the loading of an SDK are not silence, so a 429 asking for a longer wait than the
 * timeout is waited out and retried, never reported as "no response".
 */
import { formatDuration } from './provider-errors.js';
import {
  describeProviderError,
  ProviderError,
  ProviderUnavailableError,
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
  /**
   * Give up on an attempt after this long without a word from the provider (before the answer
   * starts, or between two of its parts). Undefined: wait for as long as it takes.
   */
  silenceTimeoutMs?: number | undefined;
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

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
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

/**
 * The silence timer of one attempt: a signal that aborts when the caller's does, or when the
 * provider has been silent for `timeoutMs` (`restart` on every word from it).
 */
interface SilenceWatch {
  readonly signal: AbortSignal;
  /** Whether the timer, not the caller, ended the attempt. */
  readonly fired: boolean;
  restart(): void;
  stop(): void;
}

function watchSilence(caller: AbortSignal | undefined, timeoutMs: number | undefined): SilenceWatch {
  const controller = new AbortController();
  const onAbort = () => controller.abort(caller?.reason);
  if (caller?.aborted) onAbort();
  else caller?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  let fired = false;
  const watch: SilenceWatch = {
    signal: controller.signal,
    get fired() {
      return fired;
    },
    restart() {
      if (timeoutMs === undefined || controller.signal.aborted) return;
      // refresh() re-arms the same timer: a new one for every streamed part cost ~0.3 ms of a
      // chain step's CPU (cpu-prof), most of it in creating Timeout objects.
      if (timer) timer.refresh();
      else
        timer = setTimeout(() => {
          fired = true;
          controller.abort(new DOMException('the provider went silent', { name: 'AbortError' }));
        }, timeoutMs);
    },
    stop() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    },
  };
  watch.restart();
  return watch;
}

/** What the silence timer reports: it is final, since a provider that hung once may hang again. */
export function silenceError(provider: string, timeoutMs: number): ProviderUnavailableError {
  return new ProviderUnavailableError(`${provider}: no response for ${formatDuration(timeoutMs)}; gave up`, {
    provider,
    retryable: false,
    hint: 'raise --timeout (or request.timeout_seconds in config.yaml), or try again later',
  });
}

export function withRetry(model: LanguageModel, policy: RetryPolicy): LanguageModel {
  const timeoutMs = policy.silenceTimeoutMs;
  /** Loading the SDK is not waiting for the provider: it happens before the first timer starts. */
  const load = async () => {
    try {
      await model.load?.();
    } catch {
      // The attempt itself reports whatever made loading fail (a missing key, a missing SDK).
    }
  };
  return {
    provider: model.provider,
    modelId: model.modelId,
    ...(model.load ? { load: model.load.bind(model) } : {}),
    ...(model.embed ? { embed: model.embed.bind(model) } : {}),
    ...(model.listModels ? { listModels: model.listModels.bind(model) } : {}),
    async *stream(request: ModelRequest, options: CallOptions = {}): AsyncIterable<StreamPart> {
      await load();
      for (let attempt = 0; ; attempt += 1) {
        let shown = false;
        let failure: ProviderError | undefined;
        const watch = watchSilence(options.signal, timeoutMs);
        try {
          for await (const part of model.stream(request, { ...options, signal: watch.signal })) {
            watch.restart();
            if (part.type === 'error' && !shown) {
              failure = part.error;
              break;
            }
            if (part.type === 'error' && watch.fired) {
              yield { type: 'error', error: silenceError(model.provider, timeoutMs ?? 0) };
              return;
            }
            if (part.type === 'text-delta' || part.type === 'reasoning-delta') shown = true;
            yield part;
          }
        } catch (error) {
          if (!watch.fired) throw error;
        } finally {
          watch.stop();
        }
        if (watch.fired) {
          yield { type: 'error', error: silenceError(model.provider, timeoutMs ?? 0) };
          return;
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
      await load();
      for (let attempt = 0; ; attempt += 1) {
        const watch = watchSilence(options.signal, timeoutMs);
        try {
          return await model.generate(request, { ...options, signal: watch.signal });
        } catch (error) {
          if (watch.fired) throw silenceError(model.provider, timeoutMs ?? 0);
          if (!(error instanceof ProviderError)) throw error;
          const delayMs = retryDelayMs(error, attempt, policy);
          if (delayMs === undefined) throw error;
          policy.onRetry?.({ attempt: attempt + 1, delayMs, error });
          await sleep(delayMs, options.signal);
        } finally {
          watch.stop();
        }
      }
    },
  };
}
