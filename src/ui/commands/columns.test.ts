import { describe, expect, it } from 'vitest';
import { columns } from './columns.js';

describe('columns', () => {
  const rows = [
    ['/model [REF]', 'switch model (provider:model, alias or provider name); lists models when empty'],
    ['/cost', 'tokens and cost'],
  ];

  it('aligns the columns and leaves the last one unpadded', () => {
    expect(columns(rows)).toBe(`  /model [REF]  ${rows[0]![1]}\n  /cost         tokens and cost`);
  });

  it('wraps a last column too long for the width under itself', () => {
    expect(columns(rows, '  ', 60)).toBe(
      [
        '  /model [REF]  switch model (provider:model, alias or',
        '                provider name); lists models when empty',
        '  /cost         tokens and cost',
      ].join('\n'),
    );
  });

  it('leaves a row to the terminal when the other columns leave too little room', () => {
    expect(columns(rows, '  ', 30)).toBe(columns(rows));
  });

  it('aligns by columns on screen: CJK and emoji take two each', () => {
    const wide = [
      ['名前', 'a'],
      ['ab', 'b'],
      ['🙂x', 'c'],
    ];
    expect(columns(wide, '')).toBe('名前  a\nab    b\n🙂x   c');
  });
});
