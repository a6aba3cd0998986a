/**
 * What the chat does with a message, an /edit and a /compress: each shown in the history and run
 * as one exchange (so the status line shows it and Ctrl-C stops it).
 */
import type { NewHistoryItem } from '../history.js';
import type { ChatSession } from '../session/chat-session.js';
import { type ComposedPrompt, composePrompt, describeInputs } from '../session/compose-prompt.js';
import { describeError } from '../session/describe-error.js';
import type { ChatInputReader } from '../session/session-types.js';
import type { Exchange } from './useExchange.js';

export interface ChatActions {
  session: ChatSession;
  history: { add: (...items: NewHistoryItem[]) => void };
  exchange: Exchange;
  inputs: ChatInputReader | undefined;
}

/**
 * Sends a message with what /attach gathered and the files its @paths name. Returns the message
 * to give back to the editor when it got no reply (what /attach gathered waits for it again).
 */
export async function sendPrompt({ session, history, exchange, inputs }: ChatActions, prompt: string): Promise<string | undefined> {
  history.add({ type: 'user', text: prompt });
  const pending = session.inputs.take();
  let composed: ComposedPrompt;
  try {
    composed = await composePrompt(prompt, pending, inputs);
  } catch (error) {
    session.inputs.add(pending);
    const { text, hint } = describeError(error);
    history.add({ type: 'error', text, ...(hint ? { hint } : {}) });
    return prompt;
  }
  if (composed.inputs.length) history.add({ type: 'info', text: `with ${describeInputs(composed.inputs)}` });
  for (const note of composed.notes) history.add({ type: 'info', text: note });
  const outcome = await exchange.run(session.model.label, (handlers, signal) =>
    session.ask(composed.prompt, handlers, signal, composed.attachments),
  );
  if (!outcome || outcome.kept) return undefined;
  session.inputs.add(composed.pending); // @paths are read again when it is sent again
  return prompt;
}

/** /edit TEXT: asked in a new branch; the history says which keeps the old prompt. */
export async function sendEdit({ session, history, exchange }: ChatActions, prompt: string): Promise<void> {
  history.add({ type: 'user', text: prompt });
  const parent = session.conversation.id;
  const outcome = await exchange.run(session.model.label, (handlers, signal) => session.edit(prompt, handlers, signal));
  if (outcome?.kept && parent && session.conversation.id !== parent)
    history.add({ type: 'info', text: `edited in a new branch ${session.conversation.id ?? ''}; ${parent} keeps the old prompt` });
}

/** /compress: summarises every turn but the last now. */
export async function compressNow({ session, history, exchange }: ChatActions): Promise<void> {
  history.add({ type: 'info', text: 'compressing…' });
  await exchange.run(session.model.label, async (handlers, signal) => {
    const outcome = await session.compress(handlers, signal);
    history.add(outcome.done ? { type: 'info', text: outcome.text } : { type: 'error', text: outcome.text });
    return undefined;
  });
}
