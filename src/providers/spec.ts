/**
 * The provider-agnostic contract. Everything above the provider layer (orchestrator, ui, cli)
 * talks to models only through these types; every vendor adapter implements them. This is the one
 * module others import; its parts live in ./spec/, which imports nothing but the error base class.
 */
// Messages, content parts, tool calls and results, tool definitions.
export * from './spec/messages.js';
// One request (ModelRequest, ResponseFormat, CacheHint) and one call's options.
export * from './spec/request.js';
// What comes back: StreamPart, GenerateResult and collectStream, Usage, FinishReason, warnings.
export * from './spec/results.js';
// LanguageModel, and its optional embeddings, model list and vendor batches.
export * from './spec/model.js';
// ProviderSettings, capabilities, attachment limits, the keyless placeholder.
export * from './spec/settings.js';
// The ProviderError family, and the AbortError an aborted call ends with.
export * from './spec/provider-error.js';
// The one wording of provider error messages, with keys redacted.
export * from './spec/provider-message.js';
