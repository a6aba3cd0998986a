/**
 * The cheapest authenticated call each API has — list the models — made through the provider's
 * adapter. Success: the key works; a rejected key: rejected; anything else (network, timeout,
 * 5xx, an adapter that cannot list): unreachable. The detail never holds the key.
 */
import type { ProviderInfo } from '../../config/catalog.js';
import { errorMessage, isLlmoError } from '../../errors.js';
import { ProviderAuthError, ProviderError, redactSecret } from '../../providers/spec.js';
import { fetchRemoteModels } from '../remote-models.js';

export type ProbeOutcome = 'ok' | 'rejected' | 'unreachable';

export interface ProbeResult {
  outcome: ProbeOutcome;
  /** What the endpoint answered (`42 models`, `HTTP 401`, `connect ECONNREFUSED …`); never the key. */
  detail: string;
}

export async function probeProvider(
  provider: ProviderInfo,
  key: string | undefined,
  env: NodeJS.ProcessEnv,
  timeoutMs = 10_000,
): Promise<ProbeResult> {
  try {
    const models = await fetchRemoteModels(provider, key, env, AbortSignal.timeout(timeoutMs));
    return { outcome: 'ok', detail: `${models.length} model${models.length === 1 ? '' : 's'}` };
  } catch (error) {
    if (error instanceof ProviderAuthError) return { outcome: 'rejected', detail: detailOf(provider, error, key) };
    if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))
      return { outcome: 'unreachable', detail: 'timed out' };
    if (isLlmoError(error)) return { outcome: 'unreachable', detail: detailOf(provider, error, key) };
    throw error;
  }
}

/** `HTTP 401` where there was an answer, else what went wrong, without the provider's name again. */
function detailOf(provider: ProviderInfo, error: Error, key: string | undefined): string {
  if (error instanceof ProviderError && error.status !== undefined) return `HTTP ${error.status}`;
  const message = errorMessage(error);
  const text = message.startsWith(`${provider.name}: `) ? message.slice(provider.name.length + 2) : message;
  return redactSecret(text.replace(/[\u0000-\u001f\u007f]+/g, ' '), key);
}
