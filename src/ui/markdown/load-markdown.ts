/**
 * Markdown for the terminal (headings, lists, emphasis, tables, highlighted code) through
 * marked + marked-terminal + cli-highlight. They are loaded lazily: the chat's first prompt is
 * drawn before they load, and `llmo ask` never loads them.
 */
import { stripVTControlCharacters } from 'node:util';
import { displayWidth } from '../../orchestrator/display-width.js';
import { fitColumns } from './fit-table.js';
import { createListRenderer } from './terminal-list.js';

/** Renders markdown for a terminal `width` columns wide; returns text with ANSI styles. */
export type MarkdownRenderer = (markdown: string, width: number) => string;

export async function loadTerminalMarkdown(options: { color: boolean }): Promise<MarkdownRenderer> {
  const [{ Marked }, { markedTerminal }] = await Promise.all([import('marked'), import('marked-terminal')]);
  const byWidth = new Map<number, InstanceType<typeof Marked>>();
  const parserFor = (width: number) => {
    let parser = byWidth.get(width);
    if (!parser) {
      // marked-terminal reads these when it draws each table: set per table, below.
      const tableOptions: { colWidths?: number[]; wordWrap?: boolean } = {};
      const renderList = createListRenderer(width, '  ');
      parser = new Marked(
        markedTerminal(
          // Without colour, keep the `#` of headings so they still stand out.
          { width, reflowText: true, tab: 2, emoji: false, showSectionPrefix: !options.color, tableOptions },
          { ignoreIllegals: true },
        ),
      );
      parser.use({
        renderer: {
          // marked-terminal prints the inline tokens of tight list items as raw text (`**one**`);
          // render them inline instead, and leave every other text token to it.
          text(token) {
            return typeof token === 'object' && 'tokens' in token && token.tokens
              ? undoColons(this.parser.parseInline(token.tokens))
              : false;
          },
          list(token) {
            return renderList(token, (tokens, top) => this.parser.parse(tokens, top));
          },
          table(token) {
            const rows = [token.header, ...token.rows];
            // Each column's widest cell, plus cli-table3's padding of one space each side.
            const natural = token.header.map(
              (_, column) =>
                Math.max(
                  ...rows.map((row) =>
                    displayWidth(stripVTControlCharacters(undoColons(this.parser.parseInline(row[column]?.tokens ?? [])))),
                  ),
                ) + 2,
            );
            const widths = fitColumns(natural, width - (natural.length + 1)); // minus the borders
            if (widths) Object.assign(tableOptions, { colWidths: widths, wordWrap: true });
            else Object.assign(tableOptions, { colWidths: [], wordWrap: false });
            return false; // marked-terminal draws it
          },
        },
      });
      byWidth.set(width, parser);
    }
    return parser;
  };
  return (markdown, width) => {
    let rendered: string;
    try {
      rendered = parserFor(width).parse(markdown, { async: false }) as string;
    } catch {
      // A renderer bug must not lose the reply: show it as it came.
      return markdown;
    }
    rendered = rendered.replace(/\n+$/, '');
    return options.color ? rendered : stripVTControlCharacters(rendered);
  };
}

/**
 * marked-terminal hides the colons of inline code behind a marker (so `:smile:` inside code is
 * no emoji) and restores them in the blocks it finishes itself; text we render must do the same.
 */
function undoColons(text: string): string {
  return text.replaceAll('*#COLON|*', ':');
}

/** No markdown: the text as the model sent it (the /raw view, and tests). */
export const rawMarkdown: MarkdownRenderer = (markdown) => markdown;
