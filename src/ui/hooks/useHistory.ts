import { useCallback, useRef, useState } from 'react';
import type { HistoryItem, NewHistoryItem } from '../history.js';

export interface History {
  items: HistoryItem[];
  /** Changes when the scrollback is redrawn from scratch (new <Static>). */
  generation: number;
  add: (...items: NewHistoryItem[]) => void;
  /** Replaces everything (after the screen is cleared): /clear, /load, /raw. */
  reset: (items: NewHistoryItem[]) => void;
}

export function useHistory(initial: () => NewHistoryItem[]): History {
  const nextId = useRef(0);
  const withIds = (items: NewHistoryItem[]) => items.map((item) => ({ ...item, id: nextId.current++ }) as HistoryItem);
  const [items, setItems] = useState<HistoryItem[]>(() => withIds(initial()));
  const [generation, setGeneration] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: withIds reads only a ref, so add never changes
  const add = useCallback((...added: NewHistoryItem[]) => {
    if (added.length) setItems((current) => [...current, ...withIds(added)]);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: withIds reads only a ref, so reset never changes
  const reset = useCallback((replacement: NewHistoryItem[]) => {
    setItems(withIds(replacement));
    setGeneration((value) => value + 1);
  }, []);
  return { items, generation, add, reset };
}
