import type { GenerateContentParameters } from '@google/genai';
import type { GoogleGenAI } from '@google/genai/web';
import { KEYLESS_API_KEY, type ProviderSettings } from '../spec.js';

type GenAIModule = typeof import('@google/genai/web');

/**
 * The SDK costs ~100 ms to import, so it loads on the first request rather than when a model is
 * built: building one (to list, validate or dry-run) stays cheap.
 * Its web build, not the Node one: the same client over fetch, without google-auth-library, gaxios
 * and ws (Vertex credentials and the Live API, neither of which llmo uses). It halves the code
 * loaded (0.87 MB instead of 1.66 MB) and saves 20–40 ms per run.
 */
let sdk: Promise<GenAIModule> | undefined;
function loadSdk(): Promise<GenAIModule> {
  sdk ??= import('@google/genai/web');
  return sdk;
}

/** Loads the SDK (once per process) and builds a client for one model's settings. */
export async function createGeminiClient(settings: ProviderSettings): Promise<GoogleGenAI> {
  const { GoogleGenAI } = await loadSdk();
  const { apiKey, baseURL, headers } = settings;
  return new GoogleGenAI({
    // Never undefined: the SDK would fall back to GOOGLE_API_KEY/GEMINI_API_KEY behind llmo's
    // back, or to Google Cloud credentials. A keyless endpoint gets the one placeholder.
    apiKey: apiKey ?? KEYLESS_API_KEY,
    // Pinned so GOOGLE_GENAI_USE_VERTEXAI in the environment cannot reroute llmo to Vertex.
    vertexai: false,
    // No retryOptions: without them the SDK makes one attempt, and llmo's own layer retries.
    // The SDK appends the API version (/v1beta) itself, so baseUrl is the bare origin.
    // No `timeout`: the SDK's stays armed while the body streams in (and is sent to Google as
    // X-Server-Timeout), so it would cut off a long answer that never stopped flowing. llmo's
    // one silence timer is in the retry layer.
    httpOptions: { ...(baseURL === undefined ? {} : { baseUrl: baseURL }), ...(headers === undefined ? {} : { headers }) },
  });
}

export function withSignal(parameters: GenerateContentParameters, signal: AbortSignal): GenerateContentParameters {
  return { ...parameters, config: { ...parameters.config, abortSignal: signal } };
}

/**
 * Each call gets an AbortSignal of its own, following the caller's. Two reasons:
 * - @google/genai adds an abort listener to the signal it is given and never removes it once the
 *   request succeeds; with one signal for a whole chat session that leaks a listener per request,
 *   and Node warns on stderr at the eleventh. Ours is unlinked from the caller's when the call ends.
 * - A consumer that stops iterating early must not leave the response streaming in: the SDK only
 *   releases its reader, so `cancel` aborts the request to close the connection.
 */
export function signalForOneCall(callerSignal: AbortSignal | undefined) {
  const controller = new AbortController();
  const forward = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) forward();
  else callerSignal?.addEventListener('abort', forward, { once: true });
  return {
    signal: controller.signal,
    cancel: () => controller.abort(),
    release: () => {
      callerSignal?.removeEventListener('abort', forward);
    },
  };
}
