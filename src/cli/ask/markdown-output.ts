/**
 * `llmo ask` on a terminal: the reply rendered as markdown (headings, lists, tables, highlighted
 * code), block by block as it streams. A block is printed once it is complete, at the same safe
 * split points the chat uses (a blank line outside a code fence), so nothing printed changes
 * later. The renderer (marked and friends) loads while the request is in flight, and only here:
 * piped output and `--raw` stay as the model sent it and never load it.
 */
import type { MarkdownRenderer } from '../../ui/markdown/load-markdown.js';

export interface MarkdownOutput {
  write(delta: string): void;
  /** Prints what is left and ends the last line. */
  finish(): Promise<void>;
}

export interface MarkdownOutputOptions {
  write: (text: string) => void;
  width: () => number;
  color: boolean;
  /** For tests: the renderer to use instead of loading the terminal one. */
  load?: () => Promise<MarkdownRenderer>;
}

export function createMarkdownOutput(options: MarkdownOutputOptions): MarkdownOutput {
  let render: MarkdownRenderer | undefined;
  let findSplit: ((text: string) => number) | undefined;
  const loading = (async () => {
    const [loaded, { findSafeSplitPoint }] = await Promise.all([
      options.load?.() ??
        import('../../ui/markdown/load-markdown.js').then(({ loadTerminalMarkdown }) => loadTerminalMarkdown({ color: options.color })),
      import('../../ui/markdown/split-point.js'),
    ]);
    render = loaded;
    findSplit = findSafeSplitPoint;
  })().catch(() => {
    // Without the renderer the reply still arrives, as plain text.
  });

  let pending = '';
  let printedBlocks = false;
  const print = (markdown: string) => {
    const text = render ? render(markdown, Math.max(20, options.width())) : markdown.replace(/\n+$/, '');
    if (text === '') return;
    options.write(`${printedBlocks ? '\n\n' : ''}${text}`);
    printedBlocks = true;
  };

  return {
    write(delta) {
      pending += delta;
      if (!findSplit) return;
      const split = findSplit(pending);
      if (split === 0) return;
      print(pending.slice(0, split));
      pending = pending.slice(split);
    },
    async finish() {
      await loading;
      if (pending.trim() !== '') print(pending);
      pending = '';
      if (printedBlocks) options.write('\n');
    },
  };
}
