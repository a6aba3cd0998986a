/**
 * The cheapest authenticated call each API has — list the models — made with plain fetch, so
 * `auth test` and `auth add --check` load no vendor SDK. 2xx: the key works; 401/403: rejected;
 * anything else (network, timeout, 5xx, an unexpected status): unreachable.
 */
import type { ProviderInfo } from '../../config/catalog.js';
import { baseURLFor } from '../../providers/registry.js';

export type ProbeOutcome = 'ok' | 'rejected' | 'unreachable';

export interface ProbeResult {
  outcome: ProbeOutcome;
  /** HTTP status or network error code; never the key. */
  detail: string;
}

const DEFAULT_BASE: Record<ProviderInfo['api'], string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
  mistral: 'https://api.mistral.ai',
};

export function modelsRequest(
  provider: ProviderInfo,
  key: string | undefined,
  env: NodeJS.ProcessEnv,
): { url: string; headers: Record<string, string> } {
  const base = (baseURLFor(provider, env) ?? DEFAULT_BASE[provider.api]).replace(/\/+$/, '');
  const headers: Record<string, string> = { ...provider.headers, accept: 'application/json' };
  switch (provider.api) {
    case 'openai':
      if (key) headers.authorization = `Bearer ${key}`;
      return { url: `${base}/models`, headers };
    case 'anthropic':
      if (key) headers['x-api-key'] = key;
      headers['anthropic-version'] = '2023-06-01';
      return { url: `${base}/v1/models`, headers };
    case 'gemini':
      if (key) headers['x-goog-api-key'] = key;
      return { url: `${base}/v1beta/models`, headers };
    case 'mistral':
      if (key) headers.authorization = `Bearer ${key}`;
      return { url: `${base}/v1/models`, headers };
  }
}

export async function probeProvider(
  provider: ProviderInfo,
  key: string | undefined,
  env: NodeJS.ProcessEnv,
  timeoutMs = 10_000,
): Promise<ProbeResult> {
  const { url, headers } = modelsRequest(provider, key, env);
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    if (response.ok) {
      await response.body?.cancel();
      return { outcome: 'ok', detail: `HTTP ${response.status}` };
    }
    // Gemini answers a bad key with 400 API_KEY_INVALID rather than 401.
    const body = await response.text().catch(() => '');
    if (response.status === 401 || response.status === 403 || /API_KEY_INVALID/.test(body))
      return { outcome: 'rejected', detail: `HTTP ${response.status}` };
    return { outcome: 'unreachable', detail: `HTTP ${response.status} from ${new URL(url).host}` };
  } catch (error) {
    return { outcome: 'unreachable', detail: redactKey(networkReason(error), key) };
  }
}

/**
 * fetch quotes a header value it refuses ('Headers.append: "Bearer sk-…" is an invalid header
 * value'), so a key with a stray control character would be printed whole by `auth test`.
 */
function redactKey(text: string, key: string | undefined): string {
  const oneLine = text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  if (!key || key.length < 8) return oneLine;
  return oneLine.split(key.replace(/[\u0000-\u001f\u007f]+/g, ' ')).join('[REDACTED]');
}

function networkReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
