import type { MistralCore } from '@mistralai/mistralai/core.js';
import type { RequestOptions } from '@mistralai/mistralai/lib/sdks.js';
import { KEYLESS_API_KEY, type ProviderSettings } from '../spec.js';
import type { MistralErrorContext } from './mistral-error.js';
import type { MistralRequestTarget } from './prepare-mistral-request.js';

/** Silences the SDK's request logging, which MISTRAL_DEBUG would otherwise send to stdout with the key. */
const silentLogger = { group() {}, groupEnd() {}, log() {} };

/** A client for one model's settings; `Core` is the SDK class, loaded by the caller on first use. */
export function createMistralClient(Core: typeof MistralCore, settings: ProviderSettings): MistralCore {
  return new Core({
    // Never undefined: the SDK would then read MISTRAL_API_KEY itself, behind the vault's back.
    // A keyless endpoint gets the one placeholder every adapter sends.
    apiKey: settings.apiKey ?? KEYLESS_API_KEY,
    serverURL: settings.baseURL,
    // Retries are llmo's (they must stop once a token has been shown), never the SDK's.
    retryConfig: { strategy: 'none' },
    debugLogger: silentLogger,
  });
}

export function mistralRequestOptions(settings: ProviderSettings, signal: AbortSignal): RequestOptions {
  // The SDK lays RequestOptions.headers over its own headers on every request.
  return settings.headers ? { signal, headers: settings.headers } : { signal };
}

export function mistralErrorContext(settings: ProviderSettings): MistralErrorContext {
  return { provider: settings.provider, apiKey: settings.apiKey };
}

export function mistralRequestTarget(settings: ProviderSettings): MistralRequestTarget {
  return { provider: settings.provider, modelId: settings.modelId, capabilities: settings.capabilities };
}

export function requestIdOf(response: Response | undefined): string | undefined {
  return response?.headers.get('mistral-correlation-id') ?? response?.headers.get('x-kong-request-id') ?? undefined;
}

/**
 * One call's signal: the caller's, and our own abort for tearing the connection down when the
 * consumer stops early. Without a signal the SDK would impose its own 5-minute limit, so llmo
 * always passes this one; llmo's one silence timer is in the retry layer.
 */
export class CallSignal {
  readonly signal: AbortSignal;
  readonly #own = new AbortController();

  constructor(callerSignal: AbortSignal | undefined) {
    this.signal = AbortSignal.any([this.#own.signal, ...(callerSignal ? [callerSignal] : [])]);
  }

  dispose(): void {
    this.#own.abort();
  }
}
