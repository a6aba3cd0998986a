import { describe, expect, it } from 'vitest';
import { findLineCut, type Layout } from './line-cut.js';
import { loadTerminalMarkdown } from './load-markdown.js';
import { layoutReply } from './wrap-blocks.js';

const WIDTH = 60;
const words = (count: number) =>
  Array.from({ length: count }, (_, index) => ['alpha', 'be', 'gamma', 'delta', 'epsilon'][index % 5]).join(' ');
const rawLayout: Layout = (text) => layoutReply(text, undefined, WIDTH).join('\n');

/** Cuts `paragraph` as the stream would, then checks the pieces laid out one after the other read as the whole. */
function expectSeamless(paragraph: string, layout: Layout) {
  const cut = findLineCut(paragraph, layout);
  expect(cut).toBeGreaterThan(0);
  expect(paragraph[cut - 1]).toBe(' ');
  const pieces = `${layout(paragraph.slice(0, cut).trimEnd())}\n${layout(paragraph.slice(cut))}`;
  const strip = (text: string) => text.replaceAll('\u001b[0m', '');
  expect(strip(pieces)).toBe(strip(layout(paragraph)));
}

describe('findLineCut', () => {
  it('cuts a long paragraph at a line end, so its pieces show exactly as the whole (raw)', () => {
    expectSeamless(words(800), rawLayout);
  });

  it('does the same through the markdown renderer, emphasis and code included', async () => {
    const render = await loadTerminalMarkdown({ color: true });
    const layout: Layout = (text) => layoutReply(text, render, WIDTH).join('\n');
    expectSeamless(`${words(300)} some **bold words** and \`code\` ${words(500)}`, layout);
  });

  it('keeps the last lines pending: more words may still join them', () => {
    const paragraph = words(800);
    const lines = rawLayout(paragraph).split('\n');
    const kept = rawLayout(paragraph.slice(findLineCut(paragraph, rawLayout))).split('\n');
    expect(kept.length).toBeGreaterThanOrEqual(2);
    expect(kept.length).toBeLessThan(lines.length / 2);
  });

  it('leaves alone a short paragraph, several lines, or something other than a paragraph', () => {
    expect(findLineCut(words(50), rawLayout)).toBe(0);
    expect(findLineCut(`${words(400)}\n${words(400)}`, rawLayout)).toBe(0);
    expect(findLineCut(`- ${words(800)}`, rawLayout)).toBe(0);
    expect(findLineCut(`1. ${words(800)}`, rawLayout)).toBe(0);
    expect(findLineCut(`    ${words(800)}`, rawLayout)).toBe(0);
  });

  it('never cuts inside an open code span or strong emphasis', () => {
    const open = `${words(20)} \`${words(800)}`;
    expect(findLineCut(open, rawLayout)).toBe(0);
    const strong = `${words(20)} **${words(800)}`;
    expect(findLineCut(strong, rawLayout)).toBe(0);
  });

  it('does not cut where the next line would start a list item', () => {
    // Every line end of this paragraph is followed by "-": no cut keeps it a paragraph.
    const tricky = Array.from({ length: 400 }, () => '- xx')
      .join(' ')
      .slice(2);
    expect(findLineCut(tricky, rawLayout)).toBe(0);
  });
});
