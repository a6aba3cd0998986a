/**
 * The chat's state outside React: the conversation, the model in use and the system prompt,
 * and one exchange at a time through callModel. Every kept exchange is saved at once.
 * Nothing here throws for a failed call: the outcome says what happened, so the UI can show
 * it and the session goes on.
 */
import {
  appendExchange,
  createConversation,
  removeLastExchange,
  toModelMessages,
  type AssistantMessage,
  type Conversation,
  type ConversationStore,
  type ConversationSystem,
  type SaveResult,
} from '../../conversations/index.js';
import type { ModelCatalog, ModelInfo } from '../../config/catalog.js';
import { callWithFallback } from '../../orchestrator/call-with-fallback.js';
import { callModel, type CallResult, type ModelResolver, type ResolvedModel } from '../../orchestrator/call-model.js';
import {
  exchangeOf,
  loopResult,
  runToolLoop,
  type ConfirmToolCall,
  type ToolLoopEvent,
  type ToolLoopOptions,
} from '../../orchestrator/run-tool-loop.js';
import type { HostedTool } from '../../orchestrator/tool-host.js';
import { retryNotice, type RetryPolicy } from '../../providers/retry.js';
import type { Accounting } from '../../usage/accounting.js';
import type { ResponseCache } from '../../cache/response-cache.js';
import type { RequestParameters } from '../commands/types.js';

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
  /** Asks before an `ask`-policy tool runs; without it such calls are refused. */
  confirm?: ConfirmToolCall;
  onToolEvent?: (event: ToolLoopEvent) => void;
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

export class ChatSession {
  #conversation: Conversation;
  #model: ActiveModel;
  /** A prompt whose call failed without any reply; /retry sends it again. */
  #failedPrompt: string | undefined;
  /**
   * Replies /retry replaced in this conversation: gone from it, but paid for, so /cost and the
   * status line still count them.
   */
  #replaced: AssistantMessage[] = [];
  #toolsOn: boolean;

  constructor(
    private readonly services: SessionServices,
    start: { conversation: Conversation; model: ActiveModel; parameters?: RequestParameters | undefined },
  ) {
    this.#conversation = start.conversation;
    this.#model = start.model;
    this.#parameters = { ...start.parameters };
    this.#toolsOn = services.tools?.on ?? false;
  }

  /** Whether replies may call tools now (`/tools on|off`); false when the session has none. */
  get toolsOn(): boolean {
    return this.#toolsOn && this.services.tools !== undefined;
  }

  get hasTools(): boolean {
    return this.services.tools !== undefined;
  }

  setToolsOn(on: boolean): void {
    this.#toolsOn = on;
  }

  /** The tools replies may call (starting the servers, the first time). */
  async listTools(): Promise<HostedTool[]> {
    if (!this.services.tools) return [];
    return [...(await this.services.tools.open()).tools];
  }

  /** Ends the session's tool servers. */
  async close(): Promise<void> {
    await this.services.tools?.close();
  }

  get conversation(): Conversation {
    return this.#conversation;
  }

  /** What /set changed for this session. */
  get parameters(): RequestParameters {
    return this.#parameters;
  }

  setParameters(parameters: RequestParameters): void {
    this.#parameters = { ...parameters };
  }

  #parameters: RequestParameters = {};

  get model(): ActiveModel {
    return this.#model;
  }

  /** The replies /retry replaced in this conversation (not saved with it). */
  get replacedReplies(): readonly AssistantMessage[] {
    return this.#replaced;
  }

  get failedPrompt(): string | undefined {
    return this.#failedPrompt;
  }

  setModel(resolved: ResolvedModel): void {
    this.#model = activeModelOf(resolved);
  }

  setSystem(system: ConversationSystem): void {
    this.#conversation = { ...this.#conversation, system };
  }

  rename(title: string): void {
    this.#conversation = { ...this.#conversation, title };
  }

  /** Starts a new conversation with the same model and system prompt (the old one is saved already). */
  newConversation(): void {
    this.#conversation = createConversation({ origin: 'chat', model: this.#model.label, system: this.#conversation.system });
    this.#failedPrompt = undefined;
    this.#replaced = [];
  }

  loadConversation(conversation: Conversation): void {
    this.#conversation = conversation;
    this.#failedPrompt = undefined;
    this.#replaced = [];
  }

  /** Saves the conversation if it has anything in it; reports a fork when the old file was corrupt. */
  async save(): Promise<{ saved?: SaveResult; saveError?: Error }> {
    if (this.#conversation.messages.length === 0) return {};
    try {
      const saved = await this.services.store.save(this.#conversation);
      this.#conversation = saved.conversation;
      this.#saveFailure = undefined;
      return { saved };
    } catch (error) {
      this.#saveFailure = error as Error;
      return { saveError: error as Error };
    }
  }

  /** Why the latest state of the conversation is not on disk (the last save failed), if it is not. */
  get unsaved(): Error | undefined {
    return this.#saveFailure;
  }

  #saveFailure: Error | undefined;

  /** Sends a prompt with the conversation so far as history. */
  ask(prompt: string, handlers: ExchangeHandlers, signal: AbortSignal): Promise<ExchangeOutcome> {
    return this.#exchange(this.#conversation, prompt, handlers, signal, false);
  }

  /**
   * Regenerates the last reply (or resends a prompt that got none). The old reply stays in the
   * conversation until a new one arrives, so a failed retry loses nothing.
   */
  async retry(handlers: ExchangeHandlers, signal: AbortSignal): Promise<ExchangeOutcome | undefined> {
    if (this.#failedPrompt !== undefined) return this.#exchange(this.#conversation, this.#failedPrompt, handlers, signal, false);
    const removed = removeLastExchange(this.#conversation);
    if (!removed) return undefined;
    return this.#exchange(removed.conversation, removed.prompt, handlers, signal, true);
  }

  /** The prompt /retry would send, for showing it. */
  retryPrompt(): string | undefined {
    return this.#failedPrompt ?? removeLastExchange(this.#conversation)?.prompt;
  }

  /**
   * `regenerating`: the prompt's old reply is still the last exchange; a failure leaves it
   * there, and the next /retry regenerates it again rather than resending the prompt.
   */
  async #exchange(
    base: Conversation,
    prompt: string,
    handlers: ExchangeHandlers,
    signal: AbortSignal,
    regenerating: boolean,
  ): Promise<ExchangeOutcome> {
    const failedPrompt = regenerating ? undefined : prompt;
    let resolved = this.#model.resolved;
    try {
      resolved ??= await this.services.resolveModel(this.#model.ref);
      this.#model = activeModelOf(resolved);
    } catch (error) {
      this.#failedPrompt = failedPrompt;
      return { status: 'error', result: undefined, error, kept: false };
    }
    const { retry } = this.services;
    const common = {
      resolved,
      request: {
        messages: [...toModelMessages(base), { role: 'user' as const, content: prompt }],
        maxTokens: this.#parameters.maxTokens,
        temperature: this.#parameters.temperature,
      },
      source: { kind: 'chat' as const, ...(base.id ? { id: base.id } : {}) },
      accounting: this.services.accounting,
      retry: {
        ...retry,
        onRetry: ({ attempt, delayMs, error }: Parameters<NonNullable<RetryPolicy['onRetry']>>[0]) =>
          handlers.onRetry?.(retryNotice({ attempt, delayMs, error }, retry.retries), { attempt, retries: retry.retries }),
      },
      stream: true,
      signal,
      timeoutMs: this.services.timeoutMs,
      onText: handlers.onText,
      onReasoning: handlers.onReasoning,
      onWarning: handlers.onWarning,
    };
    let result: CallResult;
    let exchange: ReturnType<typeof exchangeOf> | undefined;
    try {
      if (this.toolsOn) {
        const run = await runToolLoop({
          ...common,
          ...(await this.services.tools!.open()),
          confirm: handlers.confirm,
          onEvent: handlers.onToolEvent,
        });
        result = loopResult(run);
        exchange = exchangeOf(run);
      } else {
        result = await callWithFallback({
          first: resolved,
          fallbacks: this.services.fallback ?? [],
          resolve: this.services.resolveModel,
          call: (model) => callModel({ ...common, resolved: model, cache: this.services.cache }),
          ...(handlers.onWarning ? { onFallback: handlers.onWarning } : {}),
        });
      }
    } catch (error) {
      // callModel throws only before the request (a budget refusal, a server that cannot start) or for a bug.
      this.#failedPrompt = failedPrompt;
      return { status: 'error', result: undefined, error, kept: false };
    }
    const kept = result.status === 'ok' || result.text !== '' || (exchange?.toolSteps.length ?? 0) > 0;
    if (!kept) {
      this.#failedPrompt = result.status === 'aborted' ? undefined : failedPrompt;
      return { status: result.status, result, error: result.error, kept: false };
    }
    this.#failedPrompt = undefined;
    if (regenerating) {
      // Every reply of the exchange being replaced (a tool loop has several) was paid for.
      const messages = this.#conversation.messages;
      const replaced = messages.slice(messages.findLastIndex((message) => message.role === 'user') + 1);
      for (const message of replaced) if (message.role === 'assistant') this.#replaced.push(message);
    }
    this.#conversation = appendExchange(base, {
      prompt,
      reply: exchange ? exchange.reply : result,
      toolSteps: exchange?.toolSteps ?? [],
      // A fallback may have answered: the exchange names the model that did.
      modelRef: `${result.provider}:${result.modelId}`,
    });
    return { status: result.status, result, error: result.error, kept: true, ...(await this.save()) };
  }
}
