/**
 * `llmo parallel` on a terminal: every model streams live, in columns side by side when the
 * terminal is wide enough, else stacked (the last lines of each), redrawn in place at most ten
 * times a second. When all are done the live block is replaced by the full answers laid out
 * the same way, then the summary table.
 */
import { bareMessage } from '../../orchestrator/describe-error.js';
import type { ParallelEvent, ParallelResult, ParallelRun } from '../../orchestrator/run-parallel.js';
import { formatUsd } from '../../usage/pricing.js';
import { StatusBoard } from '../chain/chain-status-board.js';
import { paint, type Style } from '../output.js';
import { columnWidth, fit, fitsSideBySide, joinColumns, lastLines, summaryTable, wrap, type SummaryRow } from './parallel-layout.js';

export interface ModelPane {
  label: string;
  text: string;
  status: 'waiting' | 'streaming' | 'done' | 'failed';
  startedAt: number | undefined;
  ttftMs: number | undefined;
  result: ParallelResult | undefined;
}

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

export class ParallelLiveView {
  readonly panes: ModelPane[];
  private readonly board: StatusBoard;

  constructor(
    labels: readonly string[],
    private readonly stream: NodeJS.WriteStream,
    private readonly color: boolean,
  ) {
    this.panes = labels.map((label) => ({
      label,
      text: '',
      status: 'waiting',
      startedAt: undefined,
      ttftMs: undefined,
      result: undefined,
    }));
    this.board = new StatusBoard((frame) => liveFrame(this.panes, this.size(), frame, this.color), { stream });
  }

  note(message: string): void {
    this.board.note(`${paint('llmo: warning:', 'yellow', this.color)} ${message}`);
  }

  onEvent(event: ParallelEvent): void {
    // Started by the first model, so notes printed while models resolve stay above the view.
    this.board.start();
    const pane = this.panes[event.index]!;
    switch (event.type) {
      case 'start':
        Object.assign(pane, { label: event.label, startedAt: Date.now() });
        break;
      case 'text':
        pane.ttftMs ??= Date.now() - (pane.startedAt ?? Date.now());
        pane.status = 'streaming';
        pane.text += event.delta;
        break;
      case 'end':
        pane.result = event.result;
        pane.status = event.result.status === 'ok' ? 'done' : 'failed';
        break;
    }
  }

  /** Replaces the live block with the full answers and the summary table. */
  finish(run: ParallelRun | undefined): void {
    this.board.stop({ clear: true });
    if (!run) return;
    const lines = [
      ...finalView(this.panes, this.size().columns, this.color),
      '',
      ...summaryTable(summaryRows(run.results), this.size().columns - 1).map((line, index) =>
        index < 2 ? paint(line, 'dim', this.color) : line,
      ),
    ];
    this.stream.write(`${lines.join('\n')}\n`);
  }

  private size(): { columns: number; rows: number } {
    return { columns: this.stream.columns || 80, rows: this.stream.rows || 24 };
  }
}

/** A pane's title line: an icon (spinner, ✓, ✗) and the label with its elapsed time. */
function header(pane: ModelPane, frame: number): { icon: string; style: Style; text: string } {
  const elapsed = pane.result?.call ? pane.result.call.durationMs : pane.startedAt === undefined ? undefined : Date.now() - pane.startedAt;
  const time = elapsed === undefined ? '' : ` · ${(elapsed / 1000).toFixed(1)} s`;
  const spinner = SPINNER[frame % SPINNER.length]!;
  switch (pane.status) {
    case 'waiting':
      return { icon: spinner, style: 'cyan', text: `${pane.label}${time} · waiting` };
    case 'streaming':
      return { icon: spinner, style: 'cyan', text: `${pane.label}${time}` };
    case 'done':
      return { icon: '✓', style: 'green', text: `${pane.label}${time}` };
    case 'failed':
      return { icon: '✗', style: 'red', text: `${pane.label}${time} · failed` };
  }
}

/** The header fitted to `width` columns; only the icon is coloured, so colour never counts as width. */
function headerLine(pane: ModelPane, frame: number, width: number, color: boolean): string {
  const { icon, style, text } = header(pane, frame);
  return `${paint(icon, style, color)}${fit(` ${text}`, width - 1)}`;
}

/** The text a pane shows: its answer, or its error. */
function body(pane: ModelPane): { text: string; style: Style | undefined } {
  if (pane.status === 'failed') {
    const error = bareMessage(pane.result?.error, 'failed');
    return { text: pane.text ? `${pane.text}\n\n[${error}]` : error, style: pane.text ? undefined : 'red' };
  }
  return { text: pane.text, style: undefined };
}

export function liveFrame(panes: readonly ModelPane[], size: { columns: number; rows: number }, frame: number, color: boolean): string[] {
  const height = Math.max(4, Math.min(size.rows - 2, 30));
  if (fitsSideBySide(panes.length, size.columns)) {
    const width = columnWidth(panes.length, size.columns);
    const wrapped = panes.map((pane) => lastLines(body(pane).text, width, height - 2));
    // The block grows with the longest answer, up to what the screen holds.
    const bodyHeight = Math.min(height - 2, Math.max(0, ...wrapped.map((lines) => lines.length)));
    const columns = wrapped.map((lines) => lines.slice(-bodyHeight));
    const headers = panes.map((pane) => headerLine(pane, frame, width, color));
    return [headers.join(' │ ').trimEnd(), panes.map(() => '─'.repeat(width)).join('─┼─'), ...joinColumns(columns, width)];
  }
  const perPane = Math.max(1, Math.min(8, Math.floor((height - panes.length) / panes.length)));
  return panes.flatMap((pane) => {
    const tail = lastLines(body(pane).text, size.columns - 4, perPane);
    return [headerLine(pane, frame, size.columns - 1, color).trimEnd(), ...tail.map((line) => `  ${line}`)];
  });
}

export function finalView(panes: readonly ModelPane[], columns: number, color: boolean): string[] {
  if (fitsSideBySide(panes.length, columns)) {
    const width = columnWidth(panes.length, columns);
    const titles = panes.map((pane) => fit(`${pane.status === 'done' ? '✓' : '✗'} ${pane.label}`, width));
    const bodies = panes.map((pane) => wrap(body(pane).text, width));
    return [
      paint(titles.join(' │ ').trimEnd(), 'bold', color),
      panes.map(() => '─'.repeat(width)).join('─┼─'),
      ...joinColumns(bodies, width),
    ];
  }
  return panes.flatMap((pane, index) => {
    const { text, style } = body(pane);
    const lines = wrap(text, columns);
    return [
      ...(index > 0 ? [''] : []),
      paint(`=== ${pane.label} ===`, 'bold', color),
      ...(style ? lines.map((line) => paint(line, style, color)) : lines),
    ];
  });
}

export function summaryRows(results: readonly ParallelResult[]): SummaryRow[] {
  return results.map((result) => ({
    model: result.label,
    ttftMs: result.call?.ttftMs,
    durationMs: result.call?.durationMs,
    inputTokens: result.call?.usage?.inputTokens,
    outputTokens: result.call?.usage?.outputTokens,
    // A call that reported no usage (it failed, or never went out) cost nothing to show.
    cost: result.call?.usage ? formatUsd(result.call.costUsd) : '–',
    status: result.status === 'ok' ? 'ok' : result.status === 'aborted' ? 'interrupted' : 'failed',
  }));
}
