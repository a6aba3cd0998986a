/** `--explain`: the ranked candidates with their score parts, what was left out, and why the winner won (stderr). */
import { formatSeconds, type RouteDecision, WEIGHTS } from '../../orchestrator/route/rank-models.js';
import { formatUsd } from '../../usage/pricing.js';

export function explainRoute(autoRef: string, decision: RouteDecision, complexity: string): void {
  const weights = WEIGHTS[decision.mode];
  const lines = [
    `llmo: -m ${autoRef}: ${complexity}${decision.qualityFloor ? `, needs quality ≥ ${decision.qualityFloor}` : ''}`,
    `  weights: quality ${weights.quality}, cost ${weights.cost}, speed ${weights.speed}`,
  ];
  const rows = decision.ranked.map((model, index) => [
    String(index + 1),
    model.candidate.ref,
    model.score.toFixed(3),
    model.parts.quality.toFixed(2),
    model.parts.cost.toFixed(2),
    model.parts.speed.toFixed(2),
    formatUsd(model.costUsd),
    `${formatSeconds(model.latencyMs)} (${model.latencySource}${model.candidate.measured ? `, ${model.candidate.measured.samples} calls` : ''})`,
  ]);
  const table = [['#', 'model', 'score', 'quality', 'cost', 'speed', 'est. cost', 'est. time'], ...rows];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  for (const row of table)
    lines.push(
      `  ${row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd()}`,
    );
  const keyless = decision.skipped.filter((entry) => entry.why === 'no key').length;
  for (const entry of decision.skipped) if (entry.why !== 'no key') lines.push(`  left out ${entry.ref}: ${entry.why}`);
  if (keyless) lines.push(`  left out ${keyless} model${keyless === 1 ? '' : 's'} without a key`);
  if (decision.winner) lines.push(`  chose ${decision.winner.candidate.ref}: ${decision.reason}`);
  process.stderr.write(`${lines.join('\n')}\n`);
}
