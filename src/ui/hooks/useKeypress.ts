import { useInput, type Key } from 'ink';
import { useCallback, useRef } from 'react';

/** Returns true when it handled the key, which stops the ones after it. */
export type KeyHandler = (input: string, key: Key) => boolean;

/**
 * The one keypress path: handlers in priority order (an open picker, then interrupt keys,
 * then the editor), instead of several useInput calls racing for the same key.
 */
export function useKeypress(handlers: readonly KeyHandler[]): void {
  const current = useRef(handlers);
  current.current = handlers;
  const dispatch = useCallback((input: string, key: Key) => {
    for (const handler of current.current) if (handler(input, key)) return;
  }, []);
  useInput(dispatch);
}
