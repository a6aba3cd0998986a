/**
 * The provider-agnostic contract. Everything above the provider layer (orchestrator, ui, cli)
 * talks to models only through these types; every vendor adapter implements them.
 * This file imports nothing but the error base class.
 */
import { ExitCode, LlmoError, type LlmoErrorOptions } from '../errors.js';

export type MessageRole = 'system' | 'user' | 'assistant' | 'tool';

/** A JSON Schema (draft 2020-12) as plain data. */
export type JsonSchema = Record<string, unknown>;

/** Bytes carried inline, or a URL the vendor fetches itself. */
export type ContentSource = { type: 'bytes'; data: Uint8Array } | { type: 'url'; url: string };

export type UserContentPart =
  | { type: 'text'; text: string }
  /** png, jpeg, webp or gif. Needs the model's `vision` capability. */
  | { type: 'image'; mediaType: string; source: ContentSource }
  /** A PDF. Needs the model's `pdf` capability. */
  | { type: 'document'; mediaType: 'application/pdf'; source: ContentSource; name?: string };

/**
 * How much inline image and PDF data a vendor's endpoint takes, in bytes before base64 encoding
 * (each adapter documents where its numbers come from). Checked before the call: a request over
 * a limit is a paid upload that comes back as a 400.
 */
export interface AttachmentLimits {
  /** One image. */
  imageBytes: number;
  /** One PDF. */
  pdfBytes: number;
  /** All images and PDFs of one request together. */
  requestBytes: number;
  /** How many images one request may carry, where the vendor says. */
  images?: number;
}

/** A call the model asked for. `arguments` is the parsed JSON object of the call's input. */
export interface ToolCall {
  /** The vendor's id, or one the adapter made up where the vendor sends none (Gemini). */
  id: string;
  /** As the request's `tools` named it (`server.tool`): adapters encode and decode vendor-safe names. */
  name: string;
  arguments: Record<string, unknown>;
  /** Opaque vendor data that must go back with the call in the next request (Gemini's thoughtSignature). */
  providerMetadata?: Record<string, unknown>;
}

export interface ToolResult {
  toolCallId: string;
  /** The tool's name (Gemini answers by name, not by id). */
  name: string;
  /** What the model reads: text, or JSON as text. */
  content: string;
  isError?: boolean;
}

export type Message =
  | { role: 'system'; content: string }
  /** A string, or parts (text, images, PDFs) in the order the model should read them. */
  | { role: 'user'; content: string | UserContentPart[] }
  /** `content` may be empty when the turn is only tool calls. */
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  /** The results of one step's tool calls, in the order of the calls. */
  | { role: 'tool'; results: ToolResult[] };

export interface ToolDefinition {
  /** `server.tool` (any characters: adapters encode for vendors that restrict names). */
  name: string;
  description?: string;
  /** The JSON Schema of the tool's input object. */
  inputSchema: JsonSchema;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'tool'; name: string };

/** Ask for JSON. With a schema, adapters use the vendor's native structured output where the model has it. */
export interface ResponseFormat {
  type: 'json';
  schema?: JsonSchema;
  /** A short identifier for the schema (OpenAI and others require one). */
  name?: string;
  description?: string;
}

/** The text of a message as a person reads it (parts' text joined, tool results' content). */
export function messageText(message: Message): string {
  switch (message.role) {
    case 'tool':
      return message.results.map((result) => result.content).join('\n');
    case 'user':
      return typeof message.content === 'string'
        ? message.content
        : message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
    default:
      return message.content;
  }
}

export interface ModelRequest {
  /** System messages may appear anywhere; adapters hoist them where the vendor needs it. */
  messages: Message[];
  maxTokens?: number | undefined;
  temperature?: number | undefined;
  stop?: string[] | undefined;
  /** Tools the model may call. Only the selected tools go here, never a whole server's list. */
  tools?: ToolDefinition[];
  /** Default `auto` when tools are given. */
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  /** Vendor-only settings, keyed by adapter name: `{ anthropic: { … }, openai: { … } }`. */
  providerOptions?: Record<string, Record<string, unknown>>;
  /**
   * Which prefix of the prompt is worth the vendor's prompt cache: the system prompt, and/or the
   * whole conversation so far (the next turn reads it back at the cached-input price). Adapters
   * whose vendor needs marking (Anthropic's `cache_control`) mark it; the others ignore it, as
   * OpenAI, Gemini, Mistral and DeepSeek cache long prefixes by themselves.
   */
  cacheHint?: CacheHint | undefined;
}

export interface CacheHint {
  system?: boolean;
  history?: boolean;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
}

export type FinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other';

export interface Usage {
  /** All prompt tokens, cached ones included. */
  inputTokens: number;
  outputTokens: number;
  /** Prompt tokens served from the vendor's cache (a subset of inputTokens), where reported. */
  cachedInputTokens?: number | undefined;
  /** Prompt tokens written to the vendor's cache (Anthropic), where reported. */
  cacheWriteTokens?: number | undefined;
  /** Reasoning/thinking tokens (a subset of outputTokens), where reported. */
  reasoningTokens?: number | undefined;
}

export type StreamPart =
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  /** A tool call began; its arguments follow as `tool-call-delta` parts (or not at all). */
  | { type: 'tool-call-start'; id: string; name: string }
  | { type: 'tool-call-delta'; id: string; argumentsDelta: string }
  /** The finished call, arguments parsed. Always sent, whether or not start/delta parts came first. */
  | { type: 'tool-call'; toolCall: ToolCall }
  | { type: 'warning'; warning: ProviderWarning }
  | {
      type: 'finish';
      finishReason: FinishReason;
      /** Undefined when the vendor sent no usage (e.g. a server that ignores include_usage). */
      usage: Usage | undefined;
      /** The model id the vendor says answered (may differ from the one asked for). */
      responseModel?: string | undefined;
      requestId?: string | undefined;
    }
  | { type: 'error'; error: ProviderError };

/**
 * A setting the vendor could not honour, as data: surfaces word it with `describeWarning`.
 * `provider` is the provider's name as the user configured it.
 */
export type ProviderWarning =
  | { type: 'unsupported'; provider: string; feature: string; details?: string }
  | { type: 'other'; provider: string; message: string };

/** One line for a person: `<provider>: <feature> is not supported …: <details>`. */
export function describeWarning(warning: ProviderWarning): string {
  if (warning.type === 'other')
    return warning.message.startsWith(`${warning.provider}:`) ? warning.message : `${warning.provider}: ${warning.message}`;
  return `${warning.provider}: ${warning.feature} is not supported${warning.details ? `: ${warning.details}` : ''}`;
}

/**
 * One model of one provider. `stream` never throws for vendor failures: a failure becomes an
 * `error` part, after which the stream ends. Every successful stream ends with `finish`.
 */
export interface LanguageModel {
  /** The provider's name as configured (`anthropic`, `deepseek`, `ollama`, …). */
  readonly provider: string;
  readonly modelId: string;
  /** A streaming request. Vendor failures arrive as an `error` part, never as a throw. */
  stream(request: ModelRequest, options?: CallOptions): AsyncIterable<StreamPart>;
  /** A non-streaming request (the vendor's non-streaming endpoint). Throws a ProviderError. */
  generate(request: ModelRequest, options?: CallOptions): Promise<GenerateResult>;
  /**
   * Embeds texts with this model (an embedding model). Throws a ProviderError. Absent where the
   * vendor has no embeddings endpoint (Anthropic).
   */
  embed?(texts: readonly string[], options?: EmbedOptions): Promise<EmbedResult>;
  /** The models the provider's endpoint lists for this key (the vendor's model-list endpoint). */
  listModels?(options?: CallOptions): Promise<RemoteModel[]>;
  /**
   * Loads what the first request needs (the vendor SDK), so that the silence timer, which starts
   * after it, does not count loading as waiting for the provider. Optional: without it the first
   * request loads the SDK itself. May reject as the request would (no key).
   */
  load?(): Promise<void>;
  /**
   * The vendor's batch engine (OpenAI Batches, Anthropic Message Batches, Gemini batch mode,
   * Mistral batch jobs): many requests run on the vendor's side within its window, at its batch
   * price. Absent where the vendor has none. Every method throws a ProviderError.
   */
  readonly batch?: BatchApi;
}

/** One request of a vendor batch; its `customId` comes back with its result. */
export interface BatchRequestItem {
  customId: string;
  request: ModelRequest;
}

/** Where a vendor batch is; `vendorStatus` keeps the vendor's own word (in_progress, ended, …). */
export interface BatchJob {
  id: string;
  state: 'running' | 'ended' | 'cancelling' | 'cancelled' | 'failed' | 'expired';
  vendorStatus: string;
  counts: { total: number; succeeded: number; failed: number };
}

export type BatchResultItem =
  | { customId: string; type: 'ok'; result: Omit<GenerateResult, 'warnings'> }
  | { customId: string; type: 'error'; error: string };

export interface BatchApi {
  /**
   * Sends the requests, read once as the submission goes out: a vendor that takes a file streams
   * them into its upload; one that takes them inline in one JSON body builds it from them. Either
   * way the caller never holds them all.
   */
  submit(items: AsyncIterable<BatchRequestItem>, options?: CallOptions): Promise<BatchJob>;
  status(id: string, options?: CallOptions): Promise<BatchJob>;
  /** Each request's result once the batch has ended (in the vendor's order, not the input's). */
  results(id: string, options?: CallOptions): AsyncIterable<BatchResultItem>;
  cancel(id: string, options?: CallOptions): Promise<BatchJob>;
}

export interface EmbedOptions extends CallOptions {
  /** Ask for shorter vectors, where the model supports it. */
  dimensions?: number;
}

export interface EmbedResult {
  /** One vector per input text, in input order. */
  embeddings: number[][];
  usage: { inputTokens: number } | undefined;
  responseModel?: string;
}

export interface RemoteModel {
  id: string;
  displayName?: string;
  /** ISO 8601, where the vendor says. */
  createdAt?: string;
  contextWindow?: number;
  maxOutputTokens?: number;
}

/** What the registry hands a vendor adapter to build a model. */
export interface ProviderSettings {
  /** The configured provider name (also used in error messages). */
  provider: string;
  modelId: string;
  /**
   * The key, or undefined for an endpoint that needs none (models.yaml `api_key_name: null`): the
   * registry refuses to build a model whose provider needs a key it was not given. Without a key
   * every adapter sends `KEYLESS_API_KEY` where its SDK insists on one, and never lets the SDK look
   * for a key of its own (environment variables, credential files).
   */
  apiKey: string | undefined;
  baseURL: string | undefined;
  /** Extra HTTP headers for every request (from models.yaml `headers`). */
  headers?: Record<string, string>;
  /**
   * What the model can do and how its endpoint wants to be asked, from models.yaml `capabilities`
   * (with defaults per adapter). Adapters decide by these, never by the provider's name.
   */
  capabilities?: ReadonlySet<ModelCapability>;
}

/**
 * What a model can do (`tools`, `vision`, `pdf`, `json_schema`, `reasoning`, `embeddings`,
 * `prompt_cache`, `batch`), plus request-shape quirks some OpenAI-compatible servers need
 * (`max_completion_tokens`, `json_object_only`, …). Kept open-ended so a new quirk is data, not code.
 */
export type ModelCapability = string;

export type CreateLanguageModel = (settings: ProviderSettings) => LanguageModel;

/** What every adapter sends as the key to an endpoint that needs none (short, so never redacted). */
export const KEYLESS_API_KEY = 'keyless';

// ---------------------------------------------------------------------------------------------
// Normalised provider errors. Each carries the provider's own message and request id, never a key.

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

// ---------------------------------------------------------------------------------------------

export interface GenerateResult {
  text: string;
  reasoning: string;
  /** The calls the model asked for, in order (finishReason is then `tool-calls`). */
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage | undefined;
  responseModel?: string | undefined;
  requestId?: string | undefined;
  warnings: ProviderWarning[];
}

/**
 * Drains a stream into one result. Throws the stream's `error` part, so callers that want the
 * partial text must consume the stream themselves.
 */
export async function collectStream(parts: AsyncIterable<StreamPart>): Promise<GenerateResult> {
  const text: string[] = [];
  const reasoning: string[] = [];
  const warnings: ProviderWarning[] = [];
  const toolCalls: ToolCall[] = [];
  for await (const part of parts) {
    switch (part.type) {
      case 'text-delta':
        text.push(part.text);
        break;
      case 'reasoning-delta':
        reasoning.push(part.text);
        break;
      case 'tool-call':
        toolCalls.push(part.toolCall);
        break;
      case 'tool-call-start':
      case 'tool-call-delta':
        break;
      case 'warning':
        warnings.push(part.warning);
        break;
      case 'error':
        throw part.error;
      case 'finish':
        return {
          text: text.join(''),
          reasoning: reasoning.join(''),
          toolCalls,
          finishReason: part.finishReason,
          usage: part.usage,
          responseModel: part.responseModel,
          requestId: part.requestId,
          warnings,
        };
    }
  }
  throw new ProviderUnavailableError('the response ended before it finished', { provider: 'unknown' });
}

// ---------------------------------------------------------------------------------------------
// What every adapter uses to word its errors and to end an aborted call, so that a failure reads
// the same whichever vendor it came from.

/** The vendor's words are kept to one line of a readable length (a proxy may send a whole HTML page). */
const MAX_PROVIDER_WORDS = 500;

export interface ProviderMessageParts {
  /** The configured provider name. */
  provider: string;
  /** What happened, in llmo's words: `API key rejected`, `server error`, `request rejected`… */
  what: string;
  /** The vendor's own words (or the transport's), when there are any. */
  said?: string | undefined;
  status?: number | undefined;
  requestId?: string | undefined;
  /** Cut out of the result wherever it appears (a misbehaving server or proxy may echo it). */
  apiKey?: string | undefined;
}

/**
 * The one shape of a provider error message:
 * `<provider>: <what happened>: <vendor's words> (HTTP n, request id …)`. Parts that are unknown
 * are left out; the vendor's words become one line of at most 500 characters; the key never shows.
 */
export function formatProviderMessage(parts: ProviderMessageParts): string {
  // Redact before cutting: a key cut in half by the length limit would no longer match, and
  // its first characters would be shown.
  const said = parts.said === undefined ? '' : oneLine(redactSecret(parts.said, parts.apiKey));
  const requestId = parts.requestId && redactSecret(parts.requestId, parts.apiKey);
  const details = [parts.status === undefined ? undefined : `HTTP ${parts.status}`, requestId && `request id ${requestId}`].filter(Boolean);
  const message = `${parts.provider}: ${parts.what}${said ? `: ${said}` : ''}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
  return redactSecret(message, parts.apiKey);
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_PROVIDER_WORDS ? `${line.slice(0, MAX_PROVIDER_WORDS - 1)}…` : line;
}

/**
 * Removes a key from text: the key itself, the key as `oneLine` would have reflowed it (a key
 * pasted with a line break inside), what fetch quotes back from a header value it refused
 * (`Headers.append: "<value>" is an invalid header value`), and any bearer token. Keys shorter
 * than 8 characters are placeholders of keyless servers; blanking them would mangle ordinary words.
 */
export function redactSecret(text: string, apiKey?: string): string {
  let redacted = text;
  if (apiKey && apiKey.length >= 8) {
    for (const form of new Set([apiKey, apiKey.trim(), apiKey.replace(/\s+/g, ' ').trim()])) {
      if (form.length >= 8) redacted = redacted.split(form).join('[REDACTED]');
    }
  }
  return redacted.replace(/("[^"]*")( is an invalid header value)/g, '"[REDACTED]"$2').replace(/(Bearer\s+)[^\s"',;)]+/gi, '$1[REDACTED]');
}

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

/** The hint every adapter gives when a provider rejects the key. */
export function providerAuthHint(provider: string): string {
  return `\`llmo auth status\` shows where the ${provider} key comes from; replace it with \`llmo auth add ${provider}\``;
}
