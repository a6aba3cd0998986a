/** `llmo chain runs` (saved chain and parallel runs, newest first) and `llmo chain runs show ID`. */
import { bareMessage } from '../../orchestrator/describe-error.js';
import type { BranchJson, RunRecord, StepJson } from '../../orchestrator/run-record.js';
import { listRuns, readRun } from '../../orchestrator/run-store.js';
import { formatUsd } from '../../usage/pricing.js';
import type { ChainListOptions, ChainRunsOptions } from './chain-command.js';
import { seconds } from './chain-progress.js';
import { getConfig } from '../context.js';
import { paint, useColor, type Style } from '../output.js';
import { parseNumberFlag } from '../parse-number.js';

export async function chainRunsList(options: ChainRunsOptions): Promise<void> {
  const limit = parseNumberFlag('--limit', options.limit, { min: 1, integer: true }) ?? 20;
  const runs = (await listRuns(getConfig().paths.runsDir)).slice(0, limit);
  if (options.json) {
    const summaries = runs.map((run) => ({
      id: run.id,
      kind: run.kind,
      name: run.chain?.name ?? null,
      status: run.status,
      started_at: run.started_at,
      duration_ms: run.duration_ms,
      steps: run.steps.length,
      cost_usd: run.cost_usd,
    }));
    process.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
    return;
  }
  if (runs.length === 0) {
    process.stdout.write('no saved runs yet; llmo chain run and llmo parallel save theirs\n');
    return;
  }
  const color = useColor(process.stdout);
  const rows = runs.map(runRow);
  const header = ['ID', 'CHAIN', 'STATUS', 'PROGRESS', 'COST', 'STARTED (UTC)'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[], paintStatus: boolean) =>
    cells
      .map((cell, column) => {
        const padded = cell.padEnd(widths[column]!);
        return paintStatus && column === 2 ? paint(padded, statusStyle(cell), color) : padded;
      })
      .join('  ')
      .trimEnd();
  process.stdout.write(`${paint(line(header, false), 'dim', color)}\n`);
  for (const row of rows) process.stdout.write(`${line(row, true)}\n`);
}

/** One line of `llmo chain runs`: id, chain (or how many models), status, progress, cost, start. */
export function runRow(run: RunRecord): string[] {
  return [
    run.id,
    run.kind === 'chain' ? (run.chain?.name ?? '') : `${run.steps[0]?.branches.length ?? 0} models`,
    run.status,
    // A run still going (or killed) has no steps saved yet.
    run.steps.length === 0
      ? '–'
      : run.kind === 'chain'
        ? `${run.steps.filter((step) => step.output !== null).length}/${run.steps.length} steps`
        : `${run.steps[0]!.outputs.length} answered`,
    cost(run),
    run.started_at.replace('T', ' ').slice(0, 19),
  ];
}

export async function chainRunsShow(id: string, options: ChainListOptions): Promise<void> {
  const run = await readRun(getConfig().paths.runsDir, id);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${runLines(run, useColor(process.stdout)).join('\n')}\n`);
}

export function runLines(run: RunRecord, color: boolean): string[] {
  const title =
    run.kind === 'chain'
      ? `chain ${run.chain?.name ?? ''}${run.chain ? ` (${run.chain.source === 'inline' ? `inline: ${run.chain.where}` : run.chain.where})` : ''}`
      : 'parallel';
  const lines = [
    `${paint(run.id, 'bold', color)} · ${title}`,
    `${paint(run.status, statusStyle(run.status), color)} · started ${run.started_at} · ${seconds(run.duration_ms)} · ${tokens(run.usage)} · ${cost(run)}`,
  ];
  if (run.error) lines.push(paint(`${run.error.kind}: ${run.error.message}`, 'red', color));
  if (Object.keys(run.vars).length)
    lines.push(
      `vars: ${Object.entries(run.vars)
        .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
        .join(', ')}`,
    );
  if (run.kind === 'chain') lines.push('', paint('input', 'bold', color), ...bar(run.input || '(none)', '  ', color));
  for (const [index, step] of run.steps.entries()) lines.push('', ...stepLines(run, step, index, color));
  return lines;
}

function stepLines(run: RunRecord, step: StepJson, index: number, color: boolean): string[] {
  const heading = run.kind === 'chain' ? `${index + 1}. ${step.name}${step.parallel ? ' (parallel)' : ''}` : 'prompt';
  const lines = [
    `${paint(heading, 'bold', color)} · ${paint(step.status, statusStyle(step.status), color)}${step.status === 'skipped' ? '' : ` · ${seconds(step.duration_ms)}`}`,
  ];
  if (run.kind === 'parallel' && step.prompt) lines.push(...bar(step.prompt, '  ', color), '');
  if (step.decision) lines.push(paint(`   ${decisionText(step.decision)}`, 'dim', color));
  if (step.iterations || step.steps) return [...lines, ...blockLines(run, step, color)];
  if (!step.parallel && step.branches.length) {
    const branch = step.branches.find((candidate) => candidate.status === 'ok') ?? step.branches.at(-1)!;
    lines.push(`   ${branchSummary(branch, color)}`);
    for (const attempt of step.branches[0]!.attempts.slice(0, -1))
      lines.push(
        paint(
          `   (${attempt.provider}:${attempt.model} failed first: ${bareMessage(attempt.error ? { ...attempt.error, provider: attempt.provider } : undefined, attempt.status)})`,
          'dim',
          color,
        ),
      );
    if (step.output !== null) lines.push(...bar(step.output, '   ', color));
    else if (step.error) lines.push(paint(`   ${step.error.message}`, 'red', color));
    return lines;
  }
  step.branches.forEach((branch, branchIndex) => {
    lines.push(`   [${branchIndex + 1}] ${branchSummary(branch, color)}`);
    if (branch.status === 'ok') lines.push(...bar(branch.text, '       ', color));
  });
  if (step.error) lines.push(paint(`   ${step.error.message}`, 'red', color));
  return lines;
}

/** A block's inner steps (each iteration of a repeat, the case a switch took), indented, then its output. */
function blockLines(run: RunRecord, step: StepJson, color: boolean): string[] {
  const lines: string[] = [];
  const nested = (steps: StepJson[]) => steps.flatMap((inner, index) => stepLines(run, inner, index, color).map((line) => `   ${line}`));
  for (const [index, iteration] of (step.iterations ?? []).entries()) lines.push(`   iteration ${index + 1}`, ...nested(iteration));
  if (step.steps) lines.push(...nested(step.steps));
  if (step.output !== null) lines.push(`   ${paint('output', 'bold', color)}`, ...bar(step.output, '   ', color));
  else if (step.error) lines.push(paint(`   ${step.error.message}`, 'red', color));
  return lines;
}

/** `when: steps.x.json.score < 7 → false`, `until: judge said yes · 2 iterations (until)`, `switch: case bug`. */
function decisionText(decision: NonNullable<StepJson['decision']>): string {
  const why = decision.judge
    ? `judge ${decision.judge.model} said ${decision.judge.answer}`
    : decision.expression !== undefined
      ? `${decision.expression} → ${JSON.stringify(decision.value)}`
      : '';
  const facts = [
    why,
    decision.case ? `case ${decision.case}` : '',
    decision.iterations !== undefined ? `${decision.iterations} iteration${decision.iterations === 1 ? '' : 's'}` : '',
    decision.stoppedBy ? `stopped by ${decision.stoppedBy}` : '',
  ].filter(Boolean);
  return `${decision.kind}: ${facts.join(' · ')}`;
}

function branchSummary(branch: BranchJson, color: boolean): string {
  const model = branch.provider ? `${branch.provider}:${branch.model}` : branch.model;
  if (branch.status !== 'ok')
    return `${model} · ${paint(`${branch.status}: ${bareMessage(branch.error ? { ...branch.error, provider: branch.provider } : undefined, 'no answer')}`, 'red', color)}`;
  return `${model} · ${tokens(branch.usage)} · ${seconds(branch.duration_ms)} · ${cost(branch)}`;
}

/** What it cost; "–" when nothing reported usage (no call answered), "unpriced" when its models have no prices. */
function cost(item: { usage: RunRecord['usage']; cost_usd: number | null }): string {
  if (item.cost_usd !== null) return formatUsd(item.cost_usd);
  return item.usage ? formatUsd(undefined) : '–';
}

function tokens(usage: RunRecord['usage']): string {
  return usage ? `${usage.input_tokens} → ${usage.output_tokens} tokens` : 'no usage reported';
}

function bar(text: string, indent: string, color: boolean): string[] {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => `${indent}${paint('│', 'dim', color)} ${line}`.trimEnd());
}

function statusStyle(status: string): Style {
  if (status === 'ok') return 'green';
  if (status === 'partial' || status === 'running' || status === 'interrupted') return 'yellow';
  if (status === 'skipped') return 'dim';
  return 'red';
}
