/**
 * One line per tool call on stderr, the way `llmo ask --tools` reports them:
 * `→ fs.read_file {"path":"README.md"} 12 ms` (then `error: …` or `refused: …` when it did not work).
 */
import { excerpt, type ToolCallRecord } from '../../orchestrator/run-tool-loop.js';
import { paint } from '../output.js';

const MAX_ARGUMENTS = 200;

export function toolCallLine(record: ToolCallRecord, color: boolean): string {
  const head = `${paint('→', 'cyan', color)} ${record.call.name} ${excerpt(JSON.stringify(record.call.arguments), MAX_ARGUMENTS)}`;
  switch (record.status) {
    case 'ran':
      return `${head} ${paint(`${record.durationMs} ms`, 'dim', color)}${record.isError ? ` ${paint('error:', 'red', color)} ${excerpt(record.content, 160)}` : ''}`;
    case 'declined':
    case 'refused':
    case 'not-run':
      return `${head} ${paint(`${record.status === 'not-run' ? 'not run' : record.status}:`, 'yellow', color)} ${excerpt(record.content.replace(/^llmo did not run \S+: /, ''), 160)}`;
  }
}
