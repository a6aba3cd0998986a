/**
 * What each slash-command result does to the chat. Commands only say what should happen; this
 * is the one place that does it, through a few small operations the chat hook provides.
 */
import type { ModelResolver } from '../../orchestrator/call-model.js';
import { describeSystem } from './system-commands.js';
import type { CommandResult } from './types.js';
import { itemsForConversation, welcomeItem, type NewHistoryItem } from '../history.js';
import { forkNotice, type ChatSession } from '../session/chat-session.js';
import { describeError } from '../session/describe-error.js';

export interface ResultTarget {
  session: ChatSession;
  resolveModel: ModelResolver;
  addItems: (...items: NewHistoryItem[]) => void;
  /** Clears the screen and prints these items as the new scrollback. */
  redraw: (items: NewHistoryItem[]) => void;
  setRaw: (raw: boolean) => void;
  setMode: (mode: string | undefined) => void;
  openPicker: (picker: Extract<CommandResult, { type: 'pick' }>) => void;
  retry: () => Promise<void>;
  quit: () => void;
}

export async function applyCommandResult(result: CommandResult, target: ResultTarget): Promise<void> {
  const { session, addItems, redraw } = target;
  const welcome = (resumed: boolean) => welcomeItem(session.model.label, session.conversation, resumed);
  switch (result.type) {
    case 'quit':
      return target.quit();
    case 'message':
      addItems(
        result.level === 'error'
          ? { type: 'error', text: result.text, ...(result.hint ? { hint: result.hint } : {}) }
          : { type: 'info', text: result.text },
      );
      return;
    case 'switch-model':
      session.setModel(result.resolved);
      addItems({ type: 'info', text: `switched to ${session.model.label}${session.model.info?.pricing ? '' : ' (unpriced)'}` });
      return;
    case 'set-system': {
      session.setSystem(result.system);
      addItems({ type: 'info', text: describeSystem(result.system) });
      const { saved, saveError } = await session.save();
      if (saveError)
        addItems({
          type: 'error',
          text: `could not save the conversation: ${saveError.message}`,
          hint: 'it stays in memory: /save tries again, /save PATH.json saves it elsewhere',
        });
      const forked = forkNotice(saved);
      if (forked) addItems({ type: 'info', text: forked });
      return;
    }
    case 'new-conversation':
      session.newConversation();
      redraw([welcome(false), { type: 'info', text: 'new conversation' }]);
      return;
    case 'load-conversation': {
      session.loadConversation(result.conversation);
      // Carry on with the model the conversation last used, as `llmo chat -c` does.
      const notes: NewHistoryItem[] = [];
      if (result.conversation.model && result.conversation.model !== session.model.label) {
        try {
          session.setModel(await target.resolveModel(result.conversation.model));
        } catch (error) {
          notes.push({ type: 'info', text: `keeping ${session.model.label}: ${describeError(error).text}` });
        }
      }
      redraw([welcome(true), ...itemsForConversation(result.conversation), ...notes]);
      return;
    }
    case 'save': {
      if (result.title) session.rename(result.title);
      const { saved, saveError } = await session.save();
      if (saveError) addItems({ type: 'error', text: `could not save: ${saveError.message}` });
      else if (saved) {
        addItems({ type: 'info', text: `saved as ${saved.conversation.id}${result.title ? ` “${result.title}”` : ''} (${saved.file})` });
        const forked = forkNotice(saved);
        if (forked) addItems({ type: 'info', text: forked });
      }
      return;
    }
    case 'retry':
      if (result.resolved) session.setModel(result.resolved);
      return target.retry();
    case 'set-parameters':
      session.setParameters(result.parameters);
      addItems({ type: 'info', text: result.text });
      return;
    case 'set-mode': {
      target.setMode(result.mode);
      session.setParameters(result.parameters);
      if (result.resolved) session.setModel(result.resolved);
      session.setSystem(result.system);
      addItems({ type: 'info', text: result.text });
      const { saveError } = await session.save();
      if (saveError) addItems({ type: 'error', text: `could not save the conversation: ${saveError.message}` });
      return;
    }
    case 'set-raw':
      target.setRaw(result.raw);
      redraw([
        welcome(session.conversation.messages.length > 0),
        ...itemsForConversation(session.conversation),
        { type: 'info', text: result.raw ? 'raw text (/raw again renders markdown)' : 'markdown rendering on' },
      ]);
      return;
    case 'set-tools':
      session.setToolsOn(result.on);
      addItems({ type: 'info', text: result.on ? 'tools on: replies may call them (/tools lists them)' : 'tools off' });
      return;
    case 'pick':
      target.openPicker(result);
      return;
  }
}
