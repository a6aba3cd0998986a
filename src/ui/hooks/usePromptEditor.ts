import type { Key } from 'ink';
import { useCallback, useRef, useState } from 'react';
import { createInputState, enterAction, reduceInput, type InputAction, type InputState } from '../input/input-buffer.js';
import type { Completion } from '../commands/parse-command.js';

export interface PromptEditor {
  state: InputState;
  /** Completions offered by the last Tab, until the next edit. */
  candidates: string[];
  apply: (action: InputAction) => void;
  /** The text now (state may lag inside callbacks). */
  getText: () => string;
  handleKey: (input: string, key: Key) => boolean;
}

export interface PromptEditorOptions {
  history: readonly string[];
  onSubmit: (text: string) => void;
  onComplete: (text: string) => Promise<Completion>;
}

const PASTE_START = '[200~';
const PASTE_END = '[201~';

/** C0 control characters and DEL, but not tab and line breaks (a paste keeps those). */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const CONTROLS = /([\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f])/;
const CONTROL_ACTIONS: Record<string, InputAction> = {
  '\u007f': { type: 'backspace' },
  '\u0008': { type: 'backspace' },
  '\u0015': { type: 'clear' },
  '\u0017': { type: 'delete-word' },
  '\u0001': { type: 'line-start' },
  '\u0005': { type: 'line-end' },
};

/**
 * The prompt's keys. A paste keeps its newlines: terminals in bracketed-paste mode wrap it in
 * ESC[200~ … ESC[201~; without that, a chunk of several characters with a line break inside
 * is taken as a paste too (typing is one key per read).
 */
export function usePromptEditor(options: PromptEditorOptions): PromptEditor {
  const [state, setState] = useState(() => createInputState(options.history));
  const [candidates, setCandidates] = useState<string[]>([]);
  const stateRef = useRef(state);
  const pasting = useRef(false);
  const optionsRef = useRef(options);
  optionsRef.current = options;

  const apply = useCallback((action: InputAction) => {
    stateRef.current = reduceInput(stateRef.current, action);
    setState(stateRef.current);
    setCandidates((current) => (current.length ? [] : current));
  }, []);

  const enter = useCallback(() => {
    const current = stateRef.current;
    if (enterAction(current) === 'continue-line') {
      apply({ type: 'backspace' });
      apply({ type: 'insert', text: '\n' });
      return;
    }
    optionsRef.current.onSubmit(current.text);
  }, [apply]);

  const handleKey = useCallback(
    (input: string, key: Key): boolean => {
      if (input === PASTE_START) {
        pasting.current = true;
        return true;
      }
      if (input === PASTE_END) {
        pasting.current = false;
        return true;
      }
      if (pasting.current) {
        apply({ type: 'insert', text: key.return ? '\n' : input });
        return true;
      }
      if (key.return) {
        if (key.meta) apply({ type: 'insert', text: '\n' });
        else enter();
        return true;
      }
      if (key.tab) {
        const text = stateRef.current.text;
        void optionsRef.current.onComplete(text).then((completion) => {
          if (stateRef.current.text !== text) return; // typed on meanwhile
          if (completion.text !== undefined) apply({ type: 'set', text: completion.text });
          setCandidates(completion.candidates);
        });
        return true;
      }
      if (key.upArrow) apply({ type: 'up' });
      else if (key.downArrow) apply({ type: 'down' });
      else if (key.leftArrow) apply({ type: 'left' });
      else if (key.rightArrow) apply({ type: 'right' });
      else if (key.home) apply({ type: 'line-start' });
      else if (key.end) apply({ type: 'line-end' });
      // Most terminals send DEL for Backspace, which Ink reports as `delete`.
      else if (key.backspace || key.delete) apply({ type: 'backspace' });
      else if (key.escape) setCandidates([]);
      else if (key.ctrl) {
        if (input === 'a') apply({ type: 'line-start' });
        else if (input === 'e') apply({ type: 'line-end' });
        else if (input === 'u') apply({ type: 'clear' });
        else if (input === 'w') apply({ type: 'delete-word' });
        else return false;
      } else if (input !== '') {
        insertTyped(input);
      } else {
        return false;
      }
      return true;

      function insertTyped(text: string) {
        if (CONTROL.test(text)) {
          insertWithControls(text);
          return;
        }
        const breaks = text.match(/[\r\n]/g)?.length ?? 0;
        // "hello⏎" in one read is typing that was fast (or a script), not a paste: send it.
        if (breaks === 1 && text.length > 1 && /\r$/.test(text)) {
          apply({ type: 'insert', text: text.slice(0, -1) });
          enter();
          return;
        }
        apply({ type: 'insert', text });
      }

      // Ink reports keys that arrive in one read as one string: Backspace held down on a slow
      // link ("\x7f\x7f\x7f"), Ctrl-U then typing from a script. Act on the editing keys in it
      // and drop other control characters, which must never end up, unseen, in a prompt.
      function insertWithControls(text: string) {
        for (const piece of text.split(CONTROLS)) {
          if (piece === '') continue;
          const action = CONTROL_ACTIONS[piece];
          if (action) apply(action);
          else if (!CONTROL.test(piece)) insertTyped(piece);
        }
      }
    },
    [apply, enter],
  );

  const getText = useCallback(() => stateRef.current.text, []);
  return { state, candidates, apply, getText, handleKey };
}
