/** The progress line a parallel stage's merge prints: what it kept, and why. */
import type { StepDecision } from '../../orchestrator/step-decision.js';

export function describeMerge(step: string, decision: StepDecision): string | undefined {
  if (decision.kind !== 'merge') return undefined;
  switch (decision.strategy) {
    case 'vote': {
      const counts = Object.values(decision.votes ?? {});
      const answered = counts.reduce((sum, count) => sum + count, 0);
      const winner = Math.round((decision.agreement ?? 0) * answered);
      return `${step}: vote kept branch ${decision.branch} (${winner} of ${answered} agree${tie(counts, winner) ? '; a tie goes to the earliest branch' : ''})`;
    }
    case 'first_valid':
      return `${step}: first_valid kept branch ${decision.branch}`;
    case 'judge':
      return decision.judge ? `${step}: ${decision.judge.model} judged the answers` : `${step}: the judge did not answer`;
    default:
      return undefined;
  }
}

function tie(counts: readonly number[], winner: number): boolean {
  return counts.filter((count) => count === winner).length > 1;
}
