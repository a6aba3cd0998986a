/**
 * An error as the chat shows it: what went wrong, and what to do next. The session goes on
 * after any of these, so the advice names chat commands (/retry, /model) as well as fixes.
 */
import { AuthError, BudgetError, ConfigError, InterruptedError, LlmoError } from '../../errors.js';
import {
  BadRequestError,
  describeProviderError,
  ProviderAuthError,
  ProviderError,
  ProviderUnavailableError,
  RateLimitError,
} from '../../providers/spec.js';

export interface ErrorDescription {
  text: string;
  hint: string | undefined;
}

export function describeError(error: unknown): ErrorDescription {
  if (!(error instanceof Error)) return { text: String(error), hint: undefined };
  if (error instanceof ProviderError) {
    return { text: describeProviderError(error), hint: error.hint ?? providerHint(error) };
  }
  if (error instanceof InterruptedError) return { text: error.message, hint: undefined };
  if (error instanceof AuthError || error instanceof ConfigError || error instanceof BudgetError) {
    return {
      text: error.message,
      hint: error.hint ?? (error instanceof AuthError ? '/model switches to a provider that has a key' : undefined),
    };
  }
  if (error instanceof LlmoError) return { text: error.message, hint: error.hint };
  return { text: `internal error: ${error.message}`, hint: 'please report it; the conversation so far is saved' };
}

function providerHint(error: ProviderError): string {
  if (error instanceof ProviderAuthError) {
    return `${error.provider} rejected the key: store a valid one with llmo auth add ${error.provider} (or fix its _API_KEY variable), or /model to switch`;
  }
  if (error instanceof RateLimitError) return 'still rate-limited after retrying: wait a little and /retry, or /model to switch';
  if (error instanceof ProviderUnavailableError) return `${error.provider} is not answering: /retry in a moment, or /model to switch`;
  if (error instanceof BadRequestError) {
    return 'the request was refused; if the conversation is too long for this model, /clear starts afresh or /model picks a larger one';
  }
  return '/retry, or /model to switch';
}
