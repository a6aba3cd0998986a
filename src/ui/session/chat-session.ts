/**
 * The chat's state outside React: the conversation, the model in use and the system prompt,
 * and one exchange at a time through callModel. Every kept exchange is saved at once.
 * Nothing here throws for a failed call: the outcome says what happened, so the UI can show
 * it and the session goes on.
 */
import {
  appendExchange,
  createConversation,
  forkConversation,
  removeLastExchange,
  toModelMessages,
  turnCount,
  type AssistantMessage,
  type Conversation,
  type ConversationSystem,
  type SaveResult,
  type StoredAttachment,
  type UserMessage,
} from '../../conversations/index.js';
import { checkContentParts } from '../../orchestrator/check-content-parts.js';
import type { CallResult, ResolvedModel } from '../../orchestrator/call-model.js';
import type { HostedTool } from '../../orchestrator/tool-host.js';
import type { Message, UserContentPart } from '../../providers/spec.js';
import type { RequestParameters } from '../commands/types.js';
import { callForChat, type ToolExchange } from './call-for-chat.js';
import { HistoryCompressor } from './history-compressor.js';
import { PendingInputs } from './pending-inputs.js';
import { activeModelOf, type ActiveModel, type ExchangeHandlers, type ExchangeOutcome, type SessionServices } from './session-types.js';

/** An image or PDF going with a prompt: the part sent, and what the file keeps of it. */
export interface PromptAttachment {
  part: UserContentPart;
  stored: StoredAttachment;
}

export {
  activeModelOf,
  forkNotice,
  type ActiveModel,
  type ChatToolRun,
  type ChatTools,
  type ExchangeHandlers,
  type ExchangeOutcome,
  type SessionServices,
} from './session-types.js';

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
  /** The bytes of this session's attachments, by the prompt they went with (the file keeps only names). */
  #attachments = new WeakMap<UserMessage, readonly UserContentPart[]>();
  #compressor: HistoryCompressor;

  constructor(
    private readonly services: SessionServices,
    start: { conversation: Conversation; model: ActiveModel; parameters?: RequestParameters | undefined },
  ) {
    this.#conversation = start.conversation;
    this.#model = start.model;
    this.#parameters = { ...start.parameters };
    this.#toolsOn = services.tools?.on ?? false;
    this.#compressor = new HistoryCompressor(services, () => this.#model);
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

  /** Sends a prompt (with its images and PDFs) with the conversation so far as history. */
  ask(
    prompt: string,
    handlers: ExchangeHandlers,
    signal: AbortSignal,
    attachments: readonly PromptAttachment[] = [],
  ): Promise<ExchangeOutcome> {
    return this.#exchange(this.#conversation, prompt, handlers, signal, false, attachments);
  }

  /** What /attach gathered for the next prompt. */
  readonly inputs = new PendingInputs();

  /** How many prompts the conversation holds (the turns /fork counts). */
  get turns(): number {
    return turnCount(this.#conversation);
  }

  /**
   * /fork N: carries on in a new conversation holding the first `turns` turns of this one, which
   * stays saved as it is. The branch is saved at once, so `llmo conversations tree` shows it.
   */
  async fork(turns: number): Promise<{ saved?: SaveResult; saveError?: Error; parent: string }> {
    const parent = await this.#savedId();
    this.#conversation = forkConversation(this.#conversation, turns);
    this.#failedPrompt = undefined;
    this.#replaced = [];
    return { ...(await this.save()), parent };
  }

  /**
   * /edit: asks `prompt` in place of the last prompt, in a new branch that holds the turns before
   * it; the conversation with the old prompt and its reply stays saved. Nothing changes when the
   * new prompt gets no reply.
   */
  async edit(prompt: string, handlers: ExchangeHandlers, signal: AbortSignal): Promise<ExchangeOutcome> {
    const turns = this.turns;
    if (turns === 0) return this.ask(prompt, handlers, signal);
    await this.#savedId();
    const branch = forkConversation(this.#conversation, turns - 1);
    return this.#exchange(branch, prompt, handlers, signal, false, []);
  }

  /** The last prompt, for /edit to start from. */
  lastPrompt(): string | undefined {
    return this.#conversation.messages.findLast((message) => message.role === 'user')?.content;
  }

  /** A branch needs its parent on disk: saved now when it is not yet (a failed save is thrown). */
  async #savedId(): Promise<string> {
    if (this.#conversation.id === undefined || this.unsaved) {
      const { saveError } = await this.save();
      if (saveError) throw saveError;
    }
    return this.#conversation.id!;
  }

  /**
   * /compress: summarises every turn but the last now, whatever the window. Returns a note for the
   * user; the failure's message when the summary could not be made.
   */
  async compress(handlers: ExchangeHandlers, signal: AbortSignal): Promise<{ done: boolean; text: string }> {
    const outcome = await this.#compressor.now(this.#conversation, handlers, signal);
    if (!outcome.conversation) return { done: false, text: outcome.text };
    this.#conversation = outcome.conversation;
    await this.save();
    return { done: true, text: outcome.text };
  }

  /** The summaries this session asked for: paid for, so the status line counts them, but not replies of the conversation. */
  get summaryReplies(): readonly AssistantMessage[] {
    return this.#compressor.summaries;
  }

  /** The messages a request carries for `base`: its summary, its recent turns, the attachments still at hand. */
  #modelMessages(base: Conversation): Message[] {
    return toModelMessages(base, { attachmentsOf: (message) => this.#attachments.get(message) });
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
    attachments: readonly PromptAttachment[] = [],
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
    const parts = attachments.map((attachment) => attachment.part);
    const next: Message = { role: 'user', content: parts.length ? [{ type: 'text', text: prompt }, ...parts] : prompt };
    if (parts.length) {
      try {
        // A model without vision or PDF support is refused before anything is sent, as in ask.
        checkContentParts({ messages: [next] }, resolved, this.services.catalog);
        await this.services.checkAttachments?.({ messages: [next] }, resolved);
      } catch (error) {
        this.#failedPrompt = undefined;
        return { status: 'error', result: undefined, error, kept: false };
      }
    }
    const window = this.#model.info?.contextWindow;
    const compressed = await this.#compressor.ifNearWindow(base, [...this.#modelMessages(base), next], window, handlers, signal);
    if (compressed !== base) {
      // The summary holds for the session's conversation too: the cut is before anything /retry replaces.
      this.#conversation = { ...this.#conversation, compressed: compressed.compressed! };
      base = compressed;
    }
    let result: CallResult;
    let exchange: ToolExchange | undefined;
    try {
      ({ result, exchange } = await callForChat({
        services: this.services,
        resolved,
        messages: [...this.#modelMessages(base), next],
        parameters: this.#parameters,
        source: { kind: 'chat', ...(base.id ? { id: base.id } : {}) },
        tools: this.toolsOn,
        handlers,
        signal,
      }));
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
      attachments: attachments.map((attachment) => attachment.stored),
    });
    if (parts.length) this.#attachments.set(this.#conversation.messages[base.messages.length] as UserMessage, parts);
    return { status: result.status, result, error: result.error, kept: true, ...(await this.save()) };
  }
}
