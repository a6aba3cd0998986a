import { useEffect, useRef, useState } from 'react';
import type { MarkdownRenderer } from '../markdown/load-markdown.js';

export interface MarkdownState {
  /** Undefined until loaded. */
  render: MarkdownRenderer | undefined;
  /** Resolves once loading has finished (or failed, leaving raw text). */
  ready: Promise<void>;
  error: Error | undefined;
}

/** Starts loading the renderer after the first paint, so the prompt never waits for it. */
export function useMarkdownRenderer(load: () => Promise<MarkdownRenderer>): MarkdownState {
  const [render, setRender] = useState<MarkdownRenderer | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const settle = useRef<() => void>(() => {});
  const [ready] = useState(() => new Promise<void>((resolve) => (settle.current = resolve)));
  useEffect(() => {
    let live = true;
    load().then(
      (loaded) => {
        if (live) setRender(() => loaded);
        settle.current();
      },
      (failure: Error) => {
        if (live) setError(failure);
        settle.current();
      },
    );
    return () => {
      live = false;
    };
  }, [load]);
  return { render, ready, error };
}
