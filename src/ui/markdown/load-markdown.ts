/**
 * Markdown for the terminal (headings, lists, emphasis, tables, highlighted code) through
 * marked + marked-terminal + cli-highlight. They are loaded lazily: the chat's first prompt is
 * drawn before they load, and `llmo ask` never loads them.
 */
import { stripVTControlCharacters } from 'node:util';

/** Renders markdown for a terminal `width` columns wide; returns text with ANSI styles. */
export type MarkdownRenderer = (markdown: string, width: number) => string;

export async function loadTerminalMarkdown(options: { color: boolean }): Promise<MarkdownRenderer> {
  const [{ Marked }, { markedTerminal }] = await Promise.all([import('marked'), import('marked-terminal')]);
  const byWidth = new Map<number, InstanceType<typeof Marked>>();
  const parserFor = (width: number) => {
    let parser = byWidth.get(width);
    if (!parser) {
      parser = new Marked(
        markedTerminal(
          // Without colour, keep the `#` of headings so they still stand out.
          { width, reflowText: true, tab: 2, emoji: false, showSectionPrefix: !options.color },
          { ignoreIllegals: true },
        ),
      );
      // marked-terminal prints the inline tokens of tight list items as raw text (`**one**`);
      // render them inline instead, and leave every other text token to it.
      parser.use({
        renderer: {
          text(token) {
            return typeof token === 'object' && 'tokens' in token && token.tokens ? this.parser.parseInline(token.tokens) : false;
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

/** No markdown: the text as the model sent it (the /raw view, and tests). */
export const rawMarkdown: MarkdownRenderer = (markdown) => markdown;
