/**
 * How `llmo ask` keeps its exchanges: the history it continues (-c, --resume) and where it
 * saves the new exchange. Conversations land with issue 4; until then ask neither loads nor saves.
 */
import type { Message } from '../providers/spec.js';
import type { CallResult } from '../orchestrator/call-model.js';

export interface AskConversation {
  id: string | undefined;
  history: Message[];
  /** Saves the exchange; returns the conversation id. */
  save(exchange: { system: string | undefined; prompt: string; result: CallResult }): Promise<string | undefined>;
}

export async function openAskConversation(_options: { continue?: boolean; resume?: string; save: boolean }): Promise<AskConversation> {
  return { id: undefined, history: [], save: async () => undefined };
}
