/**
 * `chain run` progress on stderr. On a terminal: a line per step (and per branch of a parallel
 * stage) redrawn in place — waiting, requesting, streaming, done with tokens and time, failed.
 * Elsewhere: only the notes that matter (fallbacks, failed branches, retries). --quiet: nothing.
 *
 * With `output` (stdout, when it is a terminal) the last step's answer streams there as it
 * arrives, as `llmo ask` does, rather than appearing only once it is complete. At its first
 * words the live lines stop being redrawn (they move the cursor, which would tear the answer),
 * the answer follows below them, and its step's final line comes after it. Notes that arrive mid-line wait for the
 * line to end. A parallel last step is printed whole at the end, as before.
 */
import type { CallResult, ResolvedModel } from '../../orchestrator/call-model.js';
import { bareMessage } from '../../orchestrator/describe-error.js';
import type { ChainEvent } from '../../orchestrator/run-chain.js';
import type { ChainPlan } from '../../orchestrator/validate-chain.js';
import { formatUsd } from '../../usage/pricing.js';
import { StatusBoard, truncateAnsi } from './chain-status-board.js';
import { paint, useColor, warn } from '../output.js';

export type LineState = 'waiting' | 'requesting' | 'streaming' | 'answering' | 'done' | 'failed' | 'skipped';

export interface ProgressLine {
  label: string;
  model: string;
  state: LineState;
  startedAt: number | undefined;
  characters: number;
  result: CallResult | undefined;
  detail: string | undefined;
}

export interface ChainProgressOptions {
  quiet: boolean;
  /** stderr is a terminal: redraw the lines in place. */
  live: boolean;
  /** Stream the last step's answer here as it arrives (stdout, when it is a terminal). */
  output?: { write(text: string): unknown } | undefined;
  /** Where the live lines and notes go (default stderr). */
  stream?: NodeJS.WriteStream;
}

export interface ChainProgress {
  onEvent(event: ChainEvent): void;
  /** A warning or notice (e.g. a retry), above the live lines when there are any. */
  note(message: string): void;
  stop(): void;
  /** Whether the last step's answer was streamed to `output` (so it must not be printed again). */
  printedOutput(): boolean;
}

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

export function createChainProgress(plan: ChainPlan, options: ChainProgressOptions): ChainProgress {
  const last = plan.steps.at(-1)!;
  // A block's answer comes from its inner steps, maybe several times: printed whole at the end.
  const answer = options.output && !last.parallel && !last.block ? answerStream(options.output) : undefined;
  const isAnswer = (event: ChainEvent) => answer !== undefined && 'step' in event && event.step.index === last.index;
  if (options.quiet) {
    return {
      onEvent(event) {
        if (isAnswer(event)) answer!.onEvent(event);
      },
      note() {},
      stop() {},
      printedOutput: () => answer?.printed() ?? false,
    };
  }
  const stream = options.stream ?? process.stderr;
  const lines: ProgressLine[][] = plan.allSteps.map((step) =>
    step.branches.map((branch, index) => ({
      label: step.parallel ? `${step.name}[${index + 1}]` : step.name,
      model: branch.settings.model,
      state: 'waiting',
      startedAt: undefined,
      characters: 0,
      result: undefined,
      detail: undefined,
    })),
  );
  const color = useColor(stream);
  const render = (frame: number) => renderLines(lines.flat(), frame, color);
  const board = options.live ? new StatusBoard(render, { stream }) : undefined;
  const write = (line: string) => (board ? board.note(line) : stream.write(`${line}\n`));
  const note = (message: string) => {
    const line = `${paint('llmo: warning:', 'yellow', color)} ${message}`;
    if (answer?.midLine()) answer.hold(() => write(line));
    else if (board) write(line);
    else warn(message);
  };
  /** Whether the lines stopped being redrawn because the answer streams below them. */
  let frozen = false;
  /** Once the answer streams below them, the lines are not redrawn; its own line is printed after it. */
  const answerLine = () => truncateAnsi(render(0)[lines.flat().indexOf(lines[last.index]![0]!)]!, (stream.columns || 80) - 1);

  return {
    note,
    printedOutput: () => answer?.printed() ?? false,
    stop() {
      for (const line of lines.flat()) if (line.state === 'waiting') line.state = 'skipped';
      board?.stop();
    },
    onEvent(event) {
      // Started by the first step, so notes printed while models resolve stay above the lines.
      board?.start();
      switch (event.type) {
        case 'attempt-start': {
          const line = lines[event.step.index]![event.branch]!;
          Object.assign(line, {
            model: modelLabel(event.model),
            state: 'requesting',
            startedAt: Date.now(),
            characters: 0,
            detail: event.attempt > 0 ? `fallback ${event.attempt}` : undefined,
          });
          // A fallback after the lines froze says on a line of its own who answers now.
          if (isAnswer(event) && frozen) {
            line.state = 'answering';
            write(answerLine());
          }
          break;
        }
        case 'text': {
          const line = lines[event.step.index]![event.branch]!;
          line.characters += event.delta.length;
          if (isAnswer(event) && board && !frozen && event.delta !== '') {
            // The first words: the lines stay live until now (waiting for a first token can take
            // long), then freeze with this one last, and the answer follows below them.
            line.state = 'answering';
            board.stop();
            frozen = true;
          }
          if (line.state !== 'answering') line.state = 'streaming';
          if (isAnswer(event)) answer!.onEvent(event);
          break;
        }
        case 'attempt-end': {
          const line = lines[event.step.index]![event.branch]!;
          if (isAnswer(event)) answer!.onEvent(event);
          line.result = event.result;
          line.state = event.result.status === 'ok' ? 'done' : 'failed';
          // (A failure that hands over to a fallback is said by the note below.)
          if (isAnswer(event) && frozen && !event.willFallback) {
            if (event.result.status === 'aborted') line.detail = 'interrupted';
            write(answerLine());
          }
          const failure = `${event.step.name}: ${modelLabel(event.result)} failed: ${bareMessage(event.result.error, event.result.status)}`;
          if (event.result.status === 'error' && event.willFallback) note(`${failure}; trying the next fallback model`);
          else if (event.result.status === 'error' && event.step.parallel) note(`${failure}; the other branches go on`);
          break;
        }
        case 'step-end':
          if (event.run.status === 'aborted') {
            for (const line of lines[event.step.index]!) {
              if (line.state === 'done') continue;
              line.state = 'failed';
              line.detail = 'interrupted';
            }
          }
          break;
        case 'warning':
          note(event.message);
          break;
        case 'decision':
          // Why a step ran or not, which iteration, which case: a line of its own.
          if (answer?.midLine()) answer.hold(() => write(paint(`› ${event.message}`, 'dim', color)));
          else write(paint(`› ${event.message}`, 'dim', color));
          break;
        case 'tool': {
          // The step's line says which tool its loop called last.
          if (event.event.type !== 'tool-result') break;
          const { record } = event.event;
          lines[event.step.index]![event.branch]!.detail = `→ ${record.call.name}${record.status === 'ran' ? '' : ` ${record.status}`}`;
          break;
        }
        case 'step-start':
          break;
      }
    },
  };
}

/**
 * The last step's answer on stdout as it streams: each attempt's text as it comes, the line
 * ended when an attempt ends, and notes held back while a line is half written.
 */
function answerStream(output: { write(text: string): unknown }) {
  let lastCharacter = '\n';
  let answered = false;
  const held: Array<() => void> = [];
  return {
    midLine: () => lastCharacter !== '\n',
    hold: (print: () => void) => held.push(print),
    printed: () => answered,
    onEvent(event: ChainEvent) {
      if (event.type === 'text' && event.delta !== '') {
        output.write(event.delta);
        lastCharacter = event.delta.at(-1)!;
      }
      if (event.type === 'attempt-end') {
        if (lastCharacter !== '\n') output.write('\n');
        lastCharacter = '\n';
        answered ||= event.result.status === 'ok';
        for (const print of held.splice(0)) print();
      }
    },
  };
}

function modelLabel(model: Pick<ResolvedModel, 'provider' | 'modelId'>): string {
  return `${model.provider}:${model.modelId}`;
}

export function renderLines(lines: readonly ProgressLine[], frame: number, color: boolean): string[] {
  const labelWidth = Math.max(...lines.map((line) => line.label.length));
  const modelWidth = Math.max(...lines.map((line) => line.model.length));
  return lines.map((line) => {
    const [icon, status] = describe(line, frame, color);
    return `${icon} ${line.label.padEnd(labelWidth)}  ${paint(line.model.padEnd(modelWidth), 'dim', color)}  ${status}`;
  });
}

function describe(line: ProgressLine, frame: number, color: boolean): [string, string] {
  const elapsed = line.startedAt === undefined ? '' : seconds(Date.now() - line.startedAt);
  const extra = line.detail ? ` · ${line.detail}` : '';
  const spinner = SPINNER[frame % SPINNER.length]!;
  switch (line.state) {
    case 'waiting':
      return [paint('·', 'dim', color), paint('waiting', 'dim', color)];
    case 'skipped':
      return [paint('·', 'dim', color), paint('skipped', 'dim', color)];
    case 'requesting':
      return [paint(spinner, 'cyan', color), `requesting · ${elapsed}${extra}`];
    case 'answering':
      return [paint('↓', 'cyan', color), `answering below${extra}`];
    case 'streaming':
      return [paint(spinner, 'cyan', color), `streaming · ~${Math.ceil(line.characters / 4)} tokens · ${elapsed}${extra}`];
    case 'done': {
      const result = line.result!;
      const tokens = result.usage ? `${result.usage.outputTokens} tokens` : `~${Math.ceil(result.text.length / 4)} tokens`;
      return [paint('✓', 'green', color), `done · ${tokens} · ${seconds(result.durationMs)} · ${formatUsd(result.costUsd)}${extra}`];
    }
    case 'failed': {
      const message = line.detail ?? bareMessage(line.result?.error, 'failed');
      return [paint('✗', 'red', color), paint(`failed: ${message}`, 'red', color)];
    }
  }
}

export function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}
