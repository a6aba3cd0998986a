import { Box } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Suggestions } from './Suggestions.js';

describe('<Suggestions>', () => {
  it('shows one row per suggestion, cut at the edge rather than wrapped, and counts the rest', () => {
    const items = [
      { label: '/model [REF]', description: 'switch model (provider:model, alias or provider name); lists models when empty' },
      { label: '/help', description: 'list commands and keys' },
      { label: '/cost' },
    ];
    const { lastFrame } = render(
      <Box width={50}>
        <Suggestions items={items} limit={2} />
      </Box>,
    );
    expect(lastFrame()).toBe('  /model [REF]  switch model (provider:model, ali…\n  /help         list commands and keys\n  … 1 more');
  });
});
