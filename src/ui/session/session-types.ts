/** What a chat session is given, and what it tells the UI about an exchange. */
import type { ModelCatalog, ModelInfo } from '../../config/catalog.js';
import type { ConversationStore, SaveResult, StoredAttachment } from '../../conversations/index.js';
import type { ModelRequest, UserContentPart } from '../../providers/spec.js';
import type { CallResult, ModelResolver, ResolvedModel } from '../../orchestrator/call-model.js';
import type { ConfirmToolCall, ToolLoopEvent, ToolLoopOptions } from '../../orchestrator/run-tool-loop.js';
import type { RetryPolicy } from '../../providers/retry.js';
import type { Accounting } from '../../usage/accounting.js';
import type { ResponseCache } from '../../cache/response-cache.js';

export interface SessionServices {
  resolveModel: ModelResolver;
  accounting: Accounting;
  catalog: ModelCatalog;
  store: ConversationStore;
  retry: RetryPolicy;
  timeoutMs?: number | undefined;
  /** Models tried in order when the chat's model fails after its retries (--fallback, main_llm.fallback). */
  fallback?: readonly string[] | undefined;
  /** The response cache, when cache.enabled (or --cache) turned it on. */
  cache?: ResponseCache | undefined;
  /** The session's tools, when any server is configured or --tools was given. */
  tools?: ChatTools | undefined;
  /** The model that summarises older turns near the context window (chat.compress_model); the chat's own when unset. */
  compressModel?: string | undefined;
  /** Refuses (throws) images and PDFs over the endpoint's documented limits, before the request. */
  checkAttachments?: ((request: ModelRequest, resolved: ResolvedModel) => Promise<void>) | undefined;
}

/** A file, folder or page given with /attach or @path, read and ready to go with the next prompt. */
export type ChatInput =
  /** An image or PDF: a content part; the conversation keeps its name. */
  | { kind: 'attachment'; part: UserContentPart; stored: StoredAttachment }
  /** Text: a labelled block ahead of the prompt, as -f adds it. */
  | { kind: 'fragment'; label: string; text: string; page: boolean };

/** Reads /attach and @path sources (the CLI's -a and -f code); what was left out is in `notes`. */
export interface ChatInputReader {
  /** Throws an LlmoError naming what is wrong with the source. */
  read(source: string): Promise<{ inputs: ChatInput[]; notes: string[] }>;
  /** Text fragments ahead of the prompt, as the model reads them. */
  withFragments(fragments: ReadonlyArray<Extract<ChatInput, { kind: 'fragment' }>>, prompt: string): string;
}

/** What a chat's tool loop runs with: one host for the whole session (servers start once). */
export type ChatToolRun = Pick<ToolLoopOptions, 'host' | 'tools' | 'policy' | 'maxSteps' | 'maxResultChars'>;

export interface ChatTools {
  /** Whether tools are on when the chat starts (`--tools`). */
  on: boolean;
  /** The session's host and selected tools; the first call starts the servers, later calls reuse them. */
  open(): Promise<ChatToolRun>;
  /** Saves an "always" answer as a tools.policy rule in config.yaml; returns the file. */
  saveRule(pattern: string): Promise<string>;
  /** Stops every server the session started. */
  close(): Promise<void>;
}

/** The model replies come from. `resolved` is missing when it could not be made ready yet (no key…). */
export interface ActiveModel {
  /** `provider:model`, what the status line shows and the conversation records. */
  label: string;
  provider: string;
  modelId: string;
  info: ModelInfo | undefined;
  resolved: ResolvedModel | undefined;
  /** What the user typed, resolved again on the next prompt while `resolved` is missing. */
  ref: string;
}

export function activeModelOf(resolved: ResolvedModel): ActiveModel {
  return {
    label: `${resolved.provider}:${resolved.modelId}`,
    provider: resolved.provider,
    modelId: resolved.modelId,
    info: resolved.info,
    resolved,
    ref: resolved.ref,
  };
}

/** What to say when a save had to go to a new id, leaving the old file alone. */
export function forkNotice(saved: SaveResult | undefined): string | undefined {
  if (!saved?.forkedFrom) return undefined;
  const why =
    saved.forkReason === 'changed'
      ? 'was changed by another llmo since this chat read it (llmo ask -c, or a second chat)'
      : 'could not be read';
  return `${saved.forkedFrom} ${why}, so it was left alone; this conversation is now saved as ${saved.conversation.id}`;
}

export interface ExchangeHandlers {
  onText: (delta: string) => void;
  onReasoning?: (delta: string) => void;
  /** A failed attempt will be retried: the notice says why and when; `attempt` of `retries`. */
  onRetry?: (notice: string, progress: { attempt: number; retries: number }) => void;
  onWarning?: (message: string) => void;
  /** A fallback model (provider:model) answers instead of the chat's own: the reply is labelled with it. */
  onModel?: (label: string) => void;
  /** Asks before an `ask`-policy tool runs; without it such calls are refused. */
  confirm?: ConfirmToolCall;
  onToolEvent?: (event: ToolLoopEvent) => void;
  /** Something to tell the user before the reply (older turns were summarised). */
  onInfo?: (text: string) => void;
  /** What happens before the request is sent (summarising older turns); undefined when done. */
  onStage?: (note: string | undefined) => void;
}

export interface ExchangeOutcome {
  status: 'ok' | 'error' | 'aborted';
  /** Undefined when no request was made (no key, budget, …). */
  result: CallResult | undefined;
  error: unknown;
  /** Whether the exchange went into the conversation (a reply, even a partial one). */
  kept: boolean;
  saved?: SaveResult | undefined;
  saveError?: Error | undefined;
}
