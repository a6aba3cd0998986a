import { describe, expect, it } from 'vitest';
import { loadTerminalMarkdown } from './load-markdown.js';

describe('loadTerminalMarkdown', () => {
  it('renders headings, emphasis, lists, tables and code blocks for the terminal (no colour: plain text)', async () => {
    const render = await loadTerminalMarkdown({ color: false });
    const output = render('# Title\n\nSome **bold** and `code`.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nconst x = 1;\n```', 60);
    expect(output).toContain('# Title');
    expect(output).toContain('Some bold and code.');
    expect(output).toContain('  * one\n  * two');
    expect(output).toMatch(/│ a +│ b +│/);
    expect(output).toContain('  const x = 1;');
    expect(output).not.toMatch(/\u001b\[/);
  });

  it('colours when asked and wraps paragraphs at the width', async () => {
    const render = await loadTerminalMarkdown({ color: true });
    const output = render(`**bold** ${'word '.repeat(30)}`, 40);
    expect(output.split('\n').length).toBeGreaterThan(3);
  });
});
