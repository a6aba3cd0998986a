/**
 * `chain run` progress on stderr. On a terminal: a line per step (and per branch of a parallel
 * stage) redrawn in place — waiting, requesting, streaming, done with tokens and time, failed.
 * Elsewhere: only the notes that matter (fallbacks, failed branches, retries). --quiet: nothing.
 */
import type { CallResult, ResolvedModel } from '../orchestrator/call-model.js';
import { bareMessage } from '../orchestrator/describe-error.js';
import type { ChainEvent } from '../orchestrator/run-chain.js';
import type { ChainPlan } from '../orchestrator/validate-chain.js';
import { formatUsd } from '../usage/pricing.js';
import { StatusBoard } from './chain-status-board.js';
import { paint, useColor, warn } from './output.js';

export type LineState = 'waiting' | 'requesting' | 'streaming' | 'done' | 'failed' | 'skipped';

export interface ProgressLine {
  label: string;
  model: string;
  state: LineState;
  startedAt: number | undefined;
  characters: number;
  result: CallResult | undefined;
  detail: string | undefined;
}

export interface ChainProgress {
  onEvent(event: ChainEvent): void;
  /** A warning or notice (e.g. a retry), above the live lines when there are any. */
  note(message: string): void;
  stop(): void;
}

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

export function createChainProgress(plan: ChainPlan, options: { quiet: boolean; live: boolean }): ChainProgress {
  if (options.quiet) return { onEvent() {}, note() {}, stop() {} };
  const lines: ProgressLine[][] = plan.steps.map((step) =>
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
  const board = options.live ? new StatusBoard((frame) => renderLines(lines.flat(), frame, useColor())) : undefined;
  const note = (message: string) => (board ? board.note(`${paint('llmo: warning:', 'yellow')} ${message}`) : warn(message));

  return {
    note,
    stop() {
      for (const line of lines.flat()) if (line.state === 'waiting') line.state = 'skipped';
      board?.stop();
    },
    onEvent(event) {
      // Started by the first step, so notes printed while models resolve stay above the lines.
      board?.start();
      switch (event.type) {
        case 'attempt-start':
          Object.assign(lines[event.step.index]![event.branch]!, {
            model: modelLabel(event.model),
            state: 'requesting',
            startedAt: Date.now(),
            characters: 0,
            detail: event.attempt > 0 ? `fallback ${event.attempt}` : undefined,
          });
          break;
        case 'text': {
          const line = lines[event.step.index]![event.branch]!;
          line.state = 'streaming';
          line.characters += event.delta.length;
          break;
        }
        case 'attempt-end': {
          const line = lines[event.step.index]![event.branch]!;
          line.result = event.result;
          line.state = event.result.status === 'ok' ? 'done' : 'failed';
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
        case 'step-start':
          break;
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
