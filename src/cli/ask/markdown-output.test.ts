import { describe, expect, it } from 'vitest';
import { loadTerminalMarkdown, type MarkdownRenderer } from '../../ui/markdown/load-markdown.js';
import { createMarkdownOutput } from './markdown-output.js';

/** What was written, one string per write. */
function collect(load?: () => Promise<MarkdownRenderer>) {
  const writes: string[] = [];
  const output = createMarkdownOutput({
    write: (text) => writes.push(text),
    width: () => 60,
    color: false,
    ...(load ? { load } : {}),
  });
  return { output, writes };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createMarkdownOutput', () => {
  it('renders the reply as markdown: no ** or backticks left, headings and lists drawn', async () => {
    const { output, writes } = collect(() => loadTerminalMarkdown({ color: false }));
    output.write('# Title\n\nSome **bold** and `code`.\n\n- one\n- two\n');
    await output.finish();
    const text = writes.join('');
    expect(text).toContain('# Title');
    expect(text).toContain('Some bold and code.');
    expect(text).not.toContain('**');
    expect(text).toMatch(/one\n.*two\n$/);
  });

  it('prints each complete block as it streams, never a block still being written', async () => {
    const upper = async () => (markdown: string) => markdown.trim().toUpperCase();
    const { output, writes } = collect(upper);
    output.write('first para');
    await settled();
    output.write('graph\n\nsecond');
    expect(writes).toEqual(['FIRST PARAGRAPH']);
    output.write(' one\n\n```\ncode\n\nstill code');
    expect(writes).toEqual(['FIRST PARAGRAPH', '\n\nSECOND ONE']);
    await output.finish();
    expect(writes.join('')).toBe('FIRST PARAGRAPH\n\nSECOND ONE\n\n```\nCODE\n\nSTILL CODE\n');
  });

  it('prints the text as it came when the renderer cannot load', async () => {
    const { output, writes } = collect(() => Promise.reject(new Error('no marked')));
    output.write('plain **text**\n');
    await output.finish();
    expect(writes.join('')).toBe('plain **text**\n');
  });
});
