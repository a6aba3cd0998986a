/**
 * A chat session's context compression (compress-history.ts does the planning and the call):
 * which model summarises, what the user is told, and the summaries paid for.
 */
import { assistantMessage, type AssistantMessage, type Conversation } from '../../conversations/index.js';
import type { ResolvedModel } from '../../orchestrator/call-model.js';
import type { Message } from '../../providers/spec.js';
import { compressionCut, nearsWindow, summariseHistory } from './compress-history.js';
import type { ActiveModel, ExchangeHandlers, SessionServices } from './session-types.js';

type Summarised = { conversation: Conversation; text: string } | { conversation: undefined; text: string };

export class HistoryCompressor {
  readonly summaries: AssistantMessage[] = [];

  constructor(
    private readonly services: SessionServices,
    private readonly model: () => ActiveModel,
  ) {}

  /**
   * Before a request whose `messages` would near the window: the conversation with its older turns
   * summarised; `base` itself when there is no window, nothing old enough, or the summary failed
   * (said through onInfo: the request then goes whole).
   */
  async ifNearWindow(
    base: Conversation,
    messages: readonly Message[],
    window: number | undefined,
    handlers: ExchangeHandlers,
    signal: AbortSignal,
  ): Promise<Conversation> {
    if (window === undefined || !nearsWindow(messages, window)) return base;
    const cut = compressionCut(base, window);
    if (cut === undefined) return base;
    const outcome = await this.#summarise(base, cut, handlers, signal);
    if (!outcome.conversation) {
      handlers.onInfo?.(`could not compress the conversation (${outcome.text}); sending it whole`);
      return base;
    }
    handlers.onInfo?.(outcome.text);
    return outcome.conversation;
  }

  /** /compress: every turn but the last, whatever the window. */
  now(conversation: Conversation, handlers: ExchangeHandlers, signal: AbortSignal): Promise<Summarised> {
    const cut = compressionCut(conversation, 0);
    if (cut === undefined) {
      return Promise.resolve({
        conversation: undefined,
        text: 'Nothing to compress: the conversation has one turn since the last summary.',
      });
    }
    return this.#summarise(conversation, cut, handlers, signal);
  }

  async #summarise(base: Conversation, cut: number, handlers: ExchangeHandlers, signal: AbortSignal): Promise<Summarised> {
    const ref = this.services.compressModel;
    const model = this.model();
    let resolved: ResolvedModel;
    try {
      resolved = ref ? await this.services.resolveModel(ref) : (model.resolved ?? (await this.services.resolveModel(model.ref)));
    } catch (error) {
      return { conversation: undefined, text: (error as Error).message };
    }
    handlers.onStage?.(`compressing with ${resolved.provider}:${resolved.modelId}`);
    try {
      const { conversation, result } = await summariseHistory({
        conversation: base,
        cut,
        resolved,
        window: model.info?.contextWindow ?? 8000,
        accounting: this.services.accounting,
        retry: this.services.retry,
        signal,
        timeoutMs: this.services.timeoutMs,
      });
      if (!conversation) return { conversation: undefined, text: result.error?.message ?? 'the summary came back empty' };
      this.summaries.push(assistantMessage(result, new Date()));
      return {
        conversation,
        text: `compressed: ${cut} earlier messages are sent as a summary by ${result.provider}:${result.modelId} (the saved conversation keeps them all)`,
      };
    } catch (error) {
      return { conversation: undefined, text: (error as Error).message };
    } finally {
      handlers.onStage?.(undefined);
    }
  }
}
