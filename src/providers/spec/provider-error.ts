/**
 * Normalised provider errors. Each carries the provider's own message and request id, never a key.
 * How a vendor's failure becomes one of these is the adapters' shared toolkit, ../provider-errors.ts.
 */
import { ExitCode, LlmoError, type LlmoErrorOptions } from '../../errors.js';

export interface ProviderErrorOptions extends LlmoErrorOptions {
  provider: string;
  status?: number | undefined;
  requestId?: string | undefined;
  /** The vendor's own words about the failure, as its body said them. */
  providerMessage?: string | undefined;
  /** The response's headers, where there was a response (rate-limit and request-id headers live there). */
  responseHeaders?: { get(name: string): string | null } | undefined;
  /**
   * Overrides the class default, for when the vendor says otherwise: Anthropic's
   * `x-should-retry: false` on a 500, OpenAI's 429 `insufficient_quota` (an empty account).
   */
  retryable?: boolean | undefined;
}

export class ProviderError extends LlmoError {
  override readonly exitCode: typeof ExitCode.provider | typeof ExitCode.auth = ExitCode.provider;
  readonly provider: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly providerMessage: string | undefined;
  readonly responseHeaders: { get(name: string): string | null } | undefined;
  /** Whether another attempt may succeed (429, 5xx, network). */
  readonly retryable: boolean;
  /** The class's answer when the vendor gave none. */
  static readonly retryableByDefault: boolean = false;

  constructor(message: string, options: ProviderErrorOptions) {
    super(message, options);
    this.provider = options.provider;
    this.status = options.status;
    this.requestId = options.requestId;
    this.providerMessage = options.providerMessage;
    this.responseHeaders = options.responseHeaders;
    this.retryable = options.retryable ?? (new.target as typeof ProviderError).retryableByDefault;
  }
}

/**
 * The one-line form every surface shows: the provider's name (unless the message already starts
 * with it) and the request id (unless the message already carries it).
 */
export function describeProviderError(error: ProviderError): string {
  const prefix = error.message.startsWith(error.provider) ? '' : `${error.provider}: `;
  const request = error.requestId && !error.message.includes(error.requestId) ? ` (request id ${error.requestId})` : '';
  return `${prefix}${error.message}${request}`;
}

/** 401/403, or Gemini's 400 API_KEY_INVALID: the key was rejected (exit 4). */
export class ProviderAuthError extends ProviderError {
  override readonly exitCode = ExitCode.auth;
}

/** 429. `retryAfterMs` from retry-after-ms, retry-after, or Gemini's RetryInfo. */
export class RateLimitError extends ProviderError {
  static override readonly retryableByDefault = true;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: ProviderErrorOptions & { retryAfterMs?: number | undefined }) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** 5xx, 529, network failure, timeout, or a stream cut mid-way. */
export class ProviderUnavailableError extends ProviderError {
  static override readonly retryableByDefault = true;
}

/** 400/404/422 (including a prompt over the context window): retrying will not help. */
export class BadRequestError extends ProviderError {}

/**
 * What an adapter throws when the caller's signal ended the call: an error named `AbortError`
 * whatever reason the caller gave, so that callers tell "I stopped it" from "it failed" by name.
 * The caller's own AbortError is passed on as it is; any other reason becomes the `cause`.
 */
export function abortErrorFor(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('the request was aborted', { name: 'AbortError', cause: reason });
}
