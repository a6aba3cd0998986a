import { useEffect, useLayoutEffect, useReducer, useRef } from 'react';
import type { HistoryItem } from '../history.js';

/** How long a frame of backlog may hold the event loop: keys typed meanwhile echo within a few of them. */
const FRAME_TARGET_MS = 16;
/** The first frame's budget, in characters: small, because the code that lays text out is not yet optimised then. */
const FIRST_FRAME_CHARACTERS = 1000;
const MIN_FRAME_CHARACTERS = 500;
const MAX_FRAME_CHARACTERS = 3000;

/**
 * The items <Static> may print now: all of them, except that a backlog (a resumed conversation of
 * 1,000 messages, /load) goes out a frame's worth at a time, with the event loop free in between.
 * Printed in one frame, that backlog held the terminal for 6 s after the prompt appeared, typed
 * keys included (on a busy 2-core machine: Ink laid out and stringified every line in one commit,
 * 266 MiB peak). A frame's worth is measured in characters and set from how long the frames before
 * took: a fixed 3,000 characters made the first frames, run before the JIT had warmed up and while
 * the markdown renderer was still settling, take 150 ms (the slowest key echo, 180-360 ms on a
 * loaded machine, was always the first key). Items still go out in order, once each; a new
 * `generation` (the screen was cleared) starts over.
 */
export function usePacedItems(items: HistoryItem[], generation: number): HistoryItem[] {
  // How many items earlier frames printed; a frame prints what came since, up to the budget.
  const printed = useRef(0);
  const budget = useRef(FIRST_FRAME_CHARACTERS);
  /** Up to where frames were measured (each frame once). */
  const measured = useRef(0);
  const seenGeneration = useRef(generation);
  const [, nextFrame] = useReducer((count: number) => count + 1, 0);
  if (seenGeneration.current !== generation) {
    seenGeneration.current = generation;
    printed.current = 0;
    measured.current = 0;
  }
  const paced = items.length - printed.current > 1;
  const end = paced ? frameEnd(items, printed.current, budget.current) : items.length;
  const renderStarted = useRef(0);
  renderStarted.current = performance.now();
  // Layout effects run once Ink has laid out and written the commit: scale the next frame to the target.
  useLayoutEffect(() => {
    if (!paced || end <= measured.current) return;
    measured.current = end;
    const took = Math.max(1, performance.now() - renderStarted.current);
    budget.current = Math.round(Math.min(MAX_FRAME_CHARACTERS, Math.max(MIN_FRAME_CHARACTERS, (budget.current * FRAME_TARGET_MS) / took)));
  }, [paced, end]);
  useEffect(() => {
    printed.current = end;
    if (end >= items.length) return;
    const timer = setImmediate(nextFrame);
    return () => clearImmediate(timer);
  }, [items, end]);
  return end >= items.length ? items : items.slice(0, end);
}

/** Where the frame that starts at `start` ends: everything when it fits the budget, else at least one item. */
function frameEnd(items: HistoryItem[], start: number, characters: number): number {
  let end = start;
  let budget = characters;
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
