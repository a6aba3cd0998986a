import { describe, expect, it } from 'vitest';
import { createInputState, enterAction, reduceInput, type InputAction, type InputState } from './input-buffer.js';

const run = (state: InputState, ...actions: InputAction[]) => actions.reduce(reduceInput, state);
const typed = (text: string, history: string[] = []) => run(createInputState(history), { type: 'insert', text });

describe('input buffer', () => {
  it('inserts at the cursor and deletes before it', () => {
    const state = run(typed('helo'), { type: 'left' }, { type: 'insert', text: 'l' }, { type: 'line-end' }, { type: 'backspace' });
    expect(state.text).toBe('hell');
    expect(state.cursor).toBe(4);
  });

  it('keeps the newlines of a paste (\\r\\n and \\r become \\n) and turns tabs into spaces', () => {
    expect(typed('a\r\nb\rc\td').text).toBe('a\nb\nc  d');
  });

  it('drops other control characters, which would reach the model unseen', () => {
    expect(typed('a\u0000b\u001bc\u007fd\u0015e\nf').text).toBe('abcde\nf');
  });

  it('deletes the word before the cursor (Ctrl-W) and steps over emoji as one character', () => {
    expect(run(typed('one two  '), { type: 'delete-word' }).text).toBe('one ');
    const emoji = run(typed('a😀'), { type: 'backspace' });
    expect(emoji.text).toBe('a');
  });

  it('moves between lines of a multi-line prompt with up and down, keeping the column', () => {
    let state = typed('first\nsecond\nthird');
    state = run(state, { type: 'up' });
    expect(state.cursor).toBe('first\nsecond'.length - 1); // column 5 of "second"
    state = run(state, { type: 'up' });
    expect(state.cursor).toBe(5);
    state = run(state, { type: 'down' }, { type: 'down' });
    expect(state.cursor).toBe('first\nsecond\nthird'.length);
  });

  it('browses history with up and down from the first line, and gives back the draft', () => {
    let state = typed('draft', ['older', 'newer']);
    state = run(state, { type: 'up' });
    expect(state.text).toBe('newer');
    state = run(state, { type: 'up' }, { type: 'up' });
    expect(state.text).toBe('older');
    state = run(state, { type: 'down' }, { type: 'down' });
    expect(state.text).toBe('draft');
  });

  it('records a committed prompt in history once, and skips blanks', () => {
    let state = run(typed('ask this'), { type: 'commit' });
    expect(state).toMatchObject({ text: '', cursor: 0, history: ['ask this'] });
    state = run(state, { type: 'insert', text: 'ask this' }, { type: 'commit' }, { type: 'insert', text: '   ' }, { type: 'commit' });
    expect(state.history).toEqual(['ask this']);
  });

  it('continues the line after a trailing backslash instead of submitting', () => {
    expect(enterAction(typed('line one \\'))).toBe('continue-line');
    expect(enterAction(typed('path C:\\dir\\ end'))).toBe('submit');
    expect(enterAction(typed('done'))).toBe('submit');
  });

  it('a prompt given back selected is replaced by typing, emptied by Backspace, and kept by a cursor move', () => {
    const given = run(createInputState(), { type: 'set', text: 'Are you there?', select: true });
    expect(given).toMatchObject({ text: 'Are you there?', selected: true });
    expect(run(given, { type: 'insert', text: 'N' })).toMatchObject({ text: 'N', cursor: 1 });
    expect(run(given, { type: 'insert', text: 'N' })).not.toHaveProperty('selected');
    expect(run(given, { type: 'backspace' }).text).toBe('');
    const moved = run(given, { type: 'left' }, { type: 'insert', text: '> ' });
    expect(moved.text).toBe('> Are you there?');
    expect(run(given, { type: 'right' }, { type: 'insert', text: '!' }).text).toBe('Are you there?!');
  });
});
