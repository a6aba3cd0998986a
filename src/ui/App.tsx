import { Box, type Key } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import { builtinCommands } from './commands/index.js';
import { matchingCommands } from './commands/parse-command.js';
import type { SlashCommand } from './commands/types.js';
import { InputPrompt } from './components/InputPrompt.js';
import { ListPicker } from './components/ListPicker.js';
import { MessageList } from './components/MessageList.js';
import { PendingMessage } from './components/PendingMessage.js';
import { StatusLine } from './components/StatusLine.js';
import { Suggestions, type Suggestion } from './components/Suggestions.js';
import { useServices } from './contexts/ServicesContext.js';
import type { HistoryItem } from './history.js';
import { useChat, type ChatStart } from './hooks/useChat.js';
import { useKeypress, type KeyHandler } from './hooks/useKeypress.js';
import { usePacedItems } from './hooks/usePacedItems.js';
import { usePromptEditor } from './hooks/usePromptEditor.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { themeFor } from './theme.js';

/**
 * <Static> prints each item once, so a reply must wait for the markdown renderer; everything
 * before the first reply (the welcome line, notices) is printed at once.
 */
function printable(items: HistoryItem[], ready: boolean): HistoryItem[] {
  if (ready) return items;
  const firstReply = items.findIndex((item) => item.type === 'reply');
  return firstReply === -1 ? items : items.slice(0, firstReply);
}

/** What the process around the app may ask of it (SIGTERM, and the id to print on exit). */
export interface AppControls {
  quit: () => void;
  conversationId: () => string | undefined;
  /** Why the conversation's latest exchanges are not saved, when the last save failed. */
  unsaved: () => Error | undefined;
}

export interface AppProps {
  start: ChatStart;
  commands?: readonly SlashCommand[];
  controls?: { current: AppControls | undefined };
}

export function App({ start, commands = builtinCommands, controls }: AppProps) {
  const services = useServices();
  const theme = useMemo(() => themeFor(services.color), [services.color]);
  const { columns, rows } = useTerminalSize();
  const chat = useChat(start, commands);
  const [selected, setSelected] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new picker starts at its first item
  useEffect(() => setSelected(0), [chat.picker]);
  useEffect(() => {
    if (controls)
      controls.current = { quit: chat.quit, conversationId: () => chat.session.conversation.id, unsaved: () => chat.session.unsaved };
  }, [controls, chat.quit, chat.session]);

  const [heldBack, setHeldBack] = useState(false);
  useEffect(() => {
    if (!chat.busy) setHeldBack(false);
  }, [chat.busy]);

  const initialHistory = useRef(start.conversation.messages.filter((message) => message.role === 'user').map((message) => message.content));
  const editor = usePromptEditor({
    history: initialHistory.current,
    onSubmit: (text) => {
      if (chat.picker || text.trim() === '') return;
      // isBusy(), not busy: a second Enter can come before the screen shows the first one's reply.
      // One exchange at a time: the prompt stays in the editor, and the hint says why.
      if (chat.isBusy()) {
        setHeldBack(true);
        return;
      }
      editor.apply({ type: 'commit' });
      void chat.submit(text).then((restore) => {
        // The call failed with nothing to show: give the prompt back, selected, to resend as it
        // is (Enter), edit it (a cursor key) or replace it (just type).
        if (restore !== undefined && editor.getText() === '') editor.apply({ type: 'set', text: restore, select: true });
      });
    },
    onComplete: chat.complete,
  });

  const pickerKeys: KeyHandler = (input: string, key: Key) => {
    const picker = chat.picker;
    if (!picker) return false;
    if (key.upArrow) setSelected((index) => Math.max(0, index - 1));
    else if (key.downArrow) setSelected((index) => Math.min(picker.items.length - 1, index + 1));
    else if (key.return) chat.choose(picker.items[selected]?.value);
    else if (key.escape || (key.ctrl && input === 'c')) chat.choose(undefined);
    return true;
  };
  const interruptKeys: KeyHandler = (input: string, key: Key) => {
    if (!key.ctrl || (input !== 'c' && input !== 'd')) return false;
    if (input === 'd') {
      if (chat.exchange.isRunning() || editor.getText() === '') chat.quit();
      return true;
    }
    if (chat.exchange.isRunning()) chat.exchange.stop();
    else if (editor.getText() !== '') editor.apply({ type: 'clear' });
    else chat.interrupt();
    return true;
  };
  useKeypress([pickerKeys, interruptKeys, editor.handleKey]);

  const suggestions = useMemo((): Suggestion[] => {
    if (editor.candidates.length) return editor.candidates.map((label) => ({ label }));
    const text = editor.state.text;
    if (!text.startsWith('/') || text.startsWith('//') || /\s/.test(text)) return [];
    return matchingCommands(commands, text.slice(1)).map((command) => ({
      label: `/${command.name}${command.argumentHint ? ` ${command.argumentHint}` : ''}`,
      description: command.description,
    }));
  }, [editor.candidates, editor.state.text, commands]);

  // The live area stays well under the terminal's height: Ink redraws the whole screen (and
  // flickers) when it is taller, and a smaller live area costs less per frame. The whole reply
  // reaches the scrollback when it completes; a long prompt shows the part around the cursor.
  const inputMaxRows = Math.max(3, Math.floor((rows - 4) / 2));
  const inputRows = Math.min(inputMaxRows, editor.state.text.split('\n').length);
  const pendingRows = Math.min(rows - inputRows - Math.min(suggestions.length, 9) - 4, Math.max(8, Math.floor(rows * 0.6)));
  const pending = chat.exchange.pending;
  const render = chat.raw ? undefined : chat.markdown.render;
  const printed = usePacedItems(printable(chat.history.items, chat.ready), chat.history.generation);
  return (
    <Box flexDirection="column">
      <MessageList items={printed} generation={chat.history.generation} render={render} raw={chat.raw} width={columns} theme={theme} />
      {pending ? (
        <PendingMessage text={pending.text} label={pending.label} render={render} raw={chat.raw} width={columns} maxRows={pendingRows} />
      ) : null}
      {chat.ending ? null : chat.picker ? (
        <ListPicker title={chat.picker.title} items={chat.picker.items} selected={selected} visible={Math.max(3, Math.min(10, rows - 7))} />
      ) : (
        <InputPrompt
          text={editor.state.text}
          cursor={editor.state.cursor}
          selected={editor.state.selected === true}
          busy={chat.busy}
          hint={heldBack && chat.busy ? 'a reply is still streaming: press Enter again when it is done, or Ctrl-C to stop it' : undefined}
          theme={theme}
          width={columns}
          maxRows={inputMaxRows}
        />
      )}
      {chat.picker || chat.ending ? null : <Suggestions items={suggestions} />}
      <StatusLine
        model={chat.session.model.label}
        profile={start.profile}
        mode={chat.mode}
        activity={chat.exchange.activity}
        last={chat.last}
        totals={chat.totals}
        raw={chat.raw}
        compressed={chat.session.conversation.compressed?.messages}
        attached={chat.session.inputs.count}
        exitArmed={chat.exitArmed && !chat.ending}
        theme={theme}
      />
    </Box>
  );
}
