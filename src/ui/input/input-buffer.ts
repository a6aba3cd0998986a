/**
 * The prompt's text editing as a pure reducer: insert (typing or a paste, newlines kept),
 * delete, cursor moves, multi-line entry, and history on up/down. The hook wraps it; tests
 * drive it without a terminal.
 */

export interface InputState {
  text: string;
  /** Offset into text (UTF-16 units; moves step over surrogate pairs). */
  cursor: number;
  /** Earlier prompts, oldest first. */
  history: readonly string[];
  /** Index into history while browsing it; undefined when editing the draft. */
  historyIndex: number | undefined;
  /** What was being typed before browsing history began. */
  draft: string;
  /**
   * The whole text is selected (a failed prompt given back): typing replaces it, Backspace
   * empties the prompt, Enter sends it again, and a cursor move keeps it and ends the selection.
   */
  selected?: boolean;
}

export type InputAction =
  | { type: 'insert'; text: string }
  | { type: 'backspace' }
  | { type: 'delete-word' }
  | { type: 'left' }
  | { type: 'right' }
  | { type: 'line-start' }
  | { type: 'line-end' }
  | { type: 'up' }
  | { type: 'down' }
  | { type: 'set'; text: string; select?: boolean }
  | { type: 'clear' }
  /** Records the current text in history and empties the prompt. */
  | { type: 'commit' };

export function createInputState(history: readonly string[] = []): InputState {
  return { text: '', cursor: 0, history, historyIndex: undefined, draft: '' };
}

/** Terminals send \r (and Windows pastes \r\n) for line breaks; keep them as \n. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

export function reduceInput(state: InputState, action: InputAction): InputState {
  if (state.selected && action.type !== 'set') return endSelection(withoutKey(state), action);
  const { text, cursor } = state;
  switch (action.type) {
    case 'insert': {
      // Other control characters (in a paste, say) would reach the model unseen: drop them.
      const inserted = normalizeNewlines(action.text)
        .replace(/\t/g, '  ')
        .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
      return edited(state, text.slice(0, cursor) + inserted + text.slice(cursor), cursor + inserted.length);
    }
    case 'backspace': {
      if (cursor === 0) return state;
      const step = isLowSurrogate(text, cursor - 1) ? 2 : 1;
      return edited(state, text.slice(0, cursor - step) + text.slice(cursor), cursor - step);
    }
    case 'delete-word': {
      const before = text.slice(0, cursor).replace(/\S+\s*$|\s+$/, '');
      return edited(state, before + text.slice(cursor), before.length);
    }
    case 'left':
      return { ...state, cursor: Math.max(0, cursor - (isLowSurrogate(text, cursor - 1) ? 2 : 1)) };
    case 'right':
      return { ...state, cursor: Math.min(text.length, cursor + (isLowSurrogate(text, cursor + 1) ? 2 : 1)) };
    case 'line-start':
      return { ...state, cursor: text.lastIndexOf('\n', cursor - 1) + 1 };
    case 'line-end': {
      const end = text.indexOf('\n', cursor);
      return { ...state, cursor: end === -1 ? text.length : end };
    }
    case 'up':
      return onFirstLine(state) ? historyStep(state, -1) : moveLine(state, -1);
    case 'down':
      return onLastLine(state) ? historyStep(state, 1) : moveLine(state, 1);
    case 'set': {
      const set = edited(state, action.text, action.text.length);
      return action.select && action.text !== '' ? { ...set, selected: true } : withoutKey(set);
    }
    case 'clear':
      return { ...state, text: '', cursor: 0, historyIndex: undefined, draft: '' };
    case 'commit': {
      const entry = text.trim() === '' || state.history.at(-1) === text ? state.history : [...state.history, text];
      return { text: '', cursor: 0, history: entry, historyIndex: undefined, draft: '' };
    }
  }
}

/** A key on a selected prompt: typing and deleting start from nothing, moving starts from an end. */
function endSelection(state: InputState, action: InputAction): InputState {
  switch (action.type) {
    case 'insert':
    case 'backspace':
    case 'delete-word':
      return reduceInput({ ...state, text: '', cursor: 0, historyIndex: undefined }, action);
    case 'left':
    case 'line-start':
      return { ...state, cursor: 0 };
    case 'right':
    case 'line-end':
      return state;
    default:
      return reduceInput(state, action);
  }
}

function withoutKey(state: InputState): InputState {
  const { selected: _selected, ...rest } = state;
  return rest;
}

function edited(state: InputState, text: string, cursor: number): InputState {
  return { ...state, text, cursor, historyIndex: undefined };
}

function isLowSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff;
}

function onFirstLine(state: InputState): boolean {
  return !state.text.slice(0, state.cursor).includes('\n');
}

function onLastLine(state: InputState): boolean {
  return !state.text.slice(state.cursor).includes('\n');
}

function moveLine(state: InputState, direction: -1 | 1): InputState {
  const { text, cursor } = state;
  const lineStart = text.lastIndexOf('\n', cursor - 1) + 1;
  const column = cursor - lineStart;
  if (direction < 0) {
    const previousStart = text.lastIndexOf('\n', lineStart - 2) + 1;
    const previousEnd = lineStart - 1;
    return { ...state, cursor: Math.min(previousStart + column, previousEnd) };
  }
  const nextStart = text.indexOf('\n', cursor) + 1;
  const nextEnd = text.indexOf('\n', nextStart);
  return { ...state, cursor: Math.min(nextStart + column, nextEnd === -1 ? text.length : nextEnd) };
}

function historyStep(state: InputState, direction: -1 | 1): InputState {
  const { history } = state;
  if (history.length === 0) return state;
  const current = state.historyIndex ?? history.length;
  const next = Math.max(0, Math.min(history.length, current + direction));
  if (next === current) return state;
  const draft = state.historyIndex === undefined ? state.text : state.draft;
  if (next === history.length) return { ...state, text: draft, cursor: draft.length, historyIndex: undefined, draft: '' };
  const entry = history[next]!;
  return { ...state, text: entry, cursor: entry.length, historyIndex: next, draft };
}

/**
 * What Enter does: submit, or (after a trailing backslash) replace the backslash with a line
 * break so the prompt continues on the next line.
 */
export function enterAction(state: InputState): 'submit' | 'continue-line' {
  const beforeCursor = state.text.slice(0, state.cursor);
  return state.cursor === state.text.length && beforeCursor.endsWith('\\') ? 'continue-line' : 'submit';
}
