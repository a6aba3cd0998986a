/**
 * `llmo parallel` progress on stderr when stdout is not a terminal but stderr is: a line per
 * model (waiting, streaming, done with tokens and time, failed), like `chain run`'s.
 */
import { bareMessage } from '../../orchestrator/describe-error.js';
import type { ParallelEvent } from '../../orchestrator/run-parallel.js';
import { renderLines, type ProgressLine } from '../chain/chain-progress.js';
import { StatusBoard } from '../chain/chain-status-board.js';
import { paint, useColor } from '../output.js';

export function createParallelProgress(labels: readonly string[]) {
  const lines: ProgressLine[] = labels.map((label, index) => ({
    label: `[${index + 1}]`,
    model: label,
    // Waiting until its request starts: at most parallel.concurrency run at once.
    state: 'waiting',
    startedAt: undefined,
    characters: 0,
    result: undefined,
    detail: undefined,
  }));
  const board = new StatusBoard((frame) => renderLines(lines, frame, useColor()));
  return {
    note: (message: string) => board.note(`${paint('llmo: warning:', 'yellow')} ${message}`),
    stop: () => board.stop(),
    onEvent(event: ParallelEvent) {
      board.start();
      const line = lines[event.index]!;
      switch (event.type) {
        case 'start':
          Object.assign(line, { model: event.label, state: 'requesting', startedAt: Date.now() });
          break;
        case 'text':
          line.state = 'streaming';
          line.characters += event.delta.length;
          break;
        case 'end':
          line.result = event.result.call;
          line.state = event.result.status === 'ok' ? 'done' : 'failed';
          if (!event.result.call) line.detail = bareMessage(event.result.error, 'failed');
          break;
      }
    },
  };
}
