import { describe, expect, it } from 'vitest';
import type { ToolCallRecord } from '../../orchestrator/run-tool-loop.js';
import { parseApproval } from './confirm-on-terminal.js';
import { toolCallLine } from './tool-call-line.js';

const record = (overrides: Partial<ToolCallRecord>): ToolCallRecord => ({
  step: 1,
  call: { id: 'c1', name: 'fs.read_file', arguments: { path: 'README.md' } },
  status: 'ran',
  content: '# llmo',
  isError: false,
  durationMs: 12,
  ...overrides,
});

describe('toolCallLine', () => {
  it('names the tool, its arguments and its time; an error or a refusal says so', () => {
    expect(toolCallLine(record({}), false)).toBe('→ fs.read_file {"path":"README.md"} 12 ms');
    expect(toolCallLine(record({ isError: true, content: 'ENOENT:\n no such file' }), false)).toBe(
      '→ fs.read_file {"path":"README.md"} 12 ms error: ENOENT: no such file',
    );
    expect(
      toolCallLine(
        record({ status: 'refused', isError: true, content: 'llmo did not run fs.read_file: the tool policy denies it' }),
        false,
      ),
    ).toBe('→ fs.read_file {"path":"README.md"} refused: the tool policy denies it');
  });
});

describe('parseApproval', () => {
  it('reads y/s/a and takes anything else, an empty line included, as no', () => {
    expect(['y', 'YES', 'once', 's', 'a', 'always', '', 'n', 'maybe'].map(parseApproval)).toEqual([
      'once',
      'once',
      'once',
      'session',
      'always',
      'always',
      'deny',
      'deny',
      'deny',
    ]);
  });
});
