import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../orchestrator/display-width.js';
import { loadTerminalMarkdown } from './load-markdown.js';

describe('loadTerminalMarkdown', () => {
  it('renders headings, emphasis, lists, tables and code blocks for the terminal (no colour: plain text)', async () => {
    const render = await loadTerminalMarkdown({ color: false });
    const output = render(
      '# Title\n\nSome **bold** and `code`.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nconst x = 1;\n```',
      60,
    );
    expect(output).toContain('# Title');
    expect(output).toContain('Some bold and code.');
    expect(output).toContain('  * one\n  * two');
    expect(output).toMatch(/│ a +│ b +│/);
    expect(output).toContain('  const x = 1;');
    expect(output).not.toMatch(/\u001b\[/);
  });

  it('draws nested lists as written: no blank lines between items, bullets stay bullets under a numbered item', async () => {
    const markdown = '- item one\n  - nested **a**\n  - nested *b*\n- item two\n\n1. one\n2. two\n   - x\n   - y\n3. three\n\n- run `a:b`';
    const expected =
      '  * item one\n    * nested a\n    * nested b\n  * item two\n\n  1. one\n  2. two\n     * x\n     * y\n  3. three\n\n  * run a:b';
    const plain = await loadTerminalMarkdown({ color: false });
    expect(plain(markdown, 80)).toBe(expected);
    // With colour (styles and resets around the items), the text shown is the same.
    const coloured = await loadTerminalMarkdown({ color: true });
    expect(stripVTControlCharacters(coloured(markdown, 80))).toBe(expected);
  });

  it('wraps a long list item under its own text', async () => {
    const render = await loadTerminalMarkdown({ color: false });
    expect(render('- alpha beta gamma delta epsilon zeta eta theta\n- two', 24)).toBe(
      '  * alpha beta gamma\n    delta epsilon zeta\n    eta theta\n  * two',
    );
  });

  it('fits a table wider than the terminal by wrapping inside its columns', async () => {
    const render = await loadTerminalMarkdown({ color: false });
    const table =
      '| Column one header | Column two header | Column three header |\n|---|---|---|\n| some longer cell content | another cell | third cell here |';
    const output = render(table, 48);
    for (const line of output.split('\n')) expect(line.length).toBeLessThanOrEqual(48);
    expect(output).toMatch(/^┌─+┬─+┬─+┐$/m); // still one table, borders whole
    expect(output).toMatch(/^│ some longer +│.*\n│ cell content +│/m); // the cell wraps within its column
    expect(render('| a | b |\n|---|---|\n| 1 | 2 |', 48)).toBe('┌───┬───┐\n│ a │ b │\n├───┼───┤\n│ 1 │ 2 │\n└───┴───┘'); // a narrow one keeps its natural width
  });

  it('fits a table of CJK text by columns on screen, two for each character', async () => {
    const render = await loadTerminalMarkdown({ color: false });
    const cell = '漢字'.repeat(8);
    const output = render(`| 名前 | 説明 |\n|---|---|\n| ${cell} | ${cell}${cell} |`, 48);
    for (const line of output.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(48);
  });

  it('colours when asked and wraps paragraphs at the width', async () => {
    const render = await loadTerminalMarkdown({ color: true });
    const output = render(`**bold** ${'word '.repeat(30)}`, 40);
    expect(output.split('\n').length).toBeGreaterThan(3);
  });
});
