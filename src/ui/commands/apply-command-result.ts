/**
 * What each slash-command result does to the chat. Commands only say what should happen; this
 * is the one place that does it, through a few small operations the chat hook provides.
 */
import type { ModelResolver } from '../../orchestrator/call-model.js';
import { describeSystem } from './system-commands.js';
import type { CommandResult } from './types.js';
import { itemsForConversation, welcomeItem, type NewHistoryItem } from '../history.js';
import { forkNotice, type ChatSession } from '../session/chat-session.js';
import { describeInputs } from '../session/compose-prompt.js';
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
  /** Asks `prompt` in place of the last one, in a new branch. */
  edit: (prompt: string) => Promise<void>;
  compress: () => Promise<void>;
  /** Puts text in the prompt editor. */
  fillInput: (text: string) => void;
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
      // Saved first: the confirmation shows once the command is done and the next prompt is taken.
      const { saved, saveError } = await session.save();
      addItems({ type: 'info', text: describeSystem(result.system) });
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
      const { saveError } = await session.save();
      addItems({ type: 'info', text: result.text });
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
    case 'edit':
      return target.edit(result.prompt);
    case 'fill-input':
      target.fillInput(result.text);
      return;
    case 'compress':
      return target.compress();
    case 'fork': {
      let forked: Awaited<ReturnType<typeof session.fork>>;
      try {
        forked = await session.fork(result.turns);
      } catch (error) {
        addItems({ type: 'error', text: `could not fork: ${describeError(error).text}` });
        return;
      }
      const where = forked.saved ? `as ${forked.saved.conversation.id}` : 'with the next reply';
      redraw([
        welcome(true),
        ...itemsForConversation(session.conversation),
        {
          type: 'info',
          text: `forked ${forked.parent} after turn ${result.turns}: this branch is saved ${where}; ${forked.parent} stays as it was`,
        },
        ...(forked.saveError ? [{ type: 'error' as const, text: `could not save the branch: ${forked.saveError.message}` }] : []),
      ]);
      return;
    }
    case 'attach': {
      session.inputs.add(result.inputs);
      addItems({ type: 'info', text: `attached ${describeInputs(result.inputs)}: it goes with your next message` });
      for (const note of result.notes) addItems({ type: 'info', text: note });
      return;
    }
  }
}
