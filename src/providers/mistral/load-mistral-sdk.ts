import type { MistralCore } from '@mistralai/mistralai/core.js';

type Funcs = typeof import('@mistralai/mistralai/funcs/chatStream.js') &
  typeof import('@mistralai/mistralai/funcs/chatComplete.js') &
  typeof import('@mistralai/mistralai/funcs/embeddingsCreate.js') &
  typeof import('@mistralai/mistralai/funcs/modelsList.js');

/**
 * The SDK loads on a model's first request, never when the model is built, and only through its
 * standalone functions. The package entry evaluates the schemas of every endpoint (≈850 ms);
 * `core.js` plus one `funcs/*` module still imports the shared schema barrel when run unbundled
 * (≈570 ms), but esbuild tree-shakes that barrel down to the schemas each function needs (≈50 ms).
 */
let coreSdk: Promise<typeof MistralCore> | undefined;
let streamSdk: Promise<Funcs['chatStream']> | undefined;
let completeSdk: Promise<Funcs['chatComplete']> | undefined;
let embedSdk: Promise<Funcs['embeddingsCreate']> | undefined;
let modelsSdk: Promise<Funcs['modelsList']> | undefined;

export function loadCore() {
  coreSdk ??= import('@mistralai/mistralai/core.js').then((core) => core.MistralCore);
  return coreSdk;
}

export function loadStreamSdk() {
  streamSdk ??= import('@mistralai/mistralai/funcs/chatStream.js').then((funcs) => funcs.chatStream);
  return Promise.all([loadCore(), streamSdk]);
}

export function loadCompleteSdk() {
  completeSdk ??= import('@mistralai/mistralai/funcs/chatComplete.js').then((funcs) => funcs.chatComplete);
  return Promise.all([loadCore(), completeSdk]);
}

export function loadEmbedSdk() {
  embedSdk ??= import('@mistralai/mistralai/funcs/embeddingsCreate.js').then((funcs) => funcs.embeddingsCreate);
  return Promise.all([loadCore(), embedSdk]);
}

export function loadModelsSdk() {
  modelsSdk ??= import('@mistralai/mistralai/funcs/modelsList.js').then((funcs) => funcs.modelsList);
  return Promise.all([loadCore(), modelsSdk]);
}
