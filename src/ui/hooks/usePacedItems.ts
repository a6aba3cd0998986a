import { useEffect, useReducer, useRef } from 'react';
import type { HistoryItem } from '../history.js';

/** About how much text one frame may print into the scrollback (a few milliseconds of layout). */
const CHARACTERS_PER_FRAME = 3000;

/**
 * The items <Static> may print now: all of them, except that a backlog (a resumed conversation of
 * 1,000 messages, /load) goes out a frame's worth at a time, with the event loop free in between.
 * Printed in one frame, that backlog held the terminal for 6 s after the prompt appeared, typed
 * keys included (on a busy 2-core machine: Ink laid out and stringified every line in one commit,
 * 266 MiB peak); paced, keys echo between frames and the peak is 163 MiB. Items still go out in order, once each; a new `generation` (the screen was
 * cleared) starts over.
 */
export function usePacedItems(items: HistoryItem[], generation: number): HistoryItem[] {
  // How many items earlier frames printed; a frame prints what came since, up to the budget.
  const printed = useRef(0);
  const seenGeneration = useRef(generation);
  const [, nextFrame] = useReducer((count: number) => count + 1, 0);
  if (seenGeneration.current !== generation) {
    seenGeneration.current = generation;
    printed.current = 0;
  }
  const end = frameEnd(items, printed.current);
  useEffect(() => {
    printed.current = end;
    if (end >= items.length) return;
    const timer = setImmediate(nextFrame);
    return () => clearImmediate(timer);
  }, [items, end]);
  return end >= items.length ? items : items.slice(0, end);
}

/** Where the frame that starts at `start` ends: everything when it fits the budget, else at least one item. */
function frameEnd(items: HistoryItem[], start: number): number {
  let end = start;
  let budget = CHARACTERS_PER_FRAME;
  while (end < items.length) {
    budget -= weightOf(items[end]!);
    if (budget < 0 && end > start) break;
    end += 1;
  }
  return end;
}

function weightOf(item: HistoryItem): number {
  return item.type === 'tool' ? item.arguments.length + item.result.length : item.text.length;
}
