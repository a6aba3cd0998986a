/**
 * A parallel stage's answers made into one output by its `merge:` strategy (docs/chains.md,
 * Merging). concat (the default) labels and joins them; vote keeps the answer most branches gave;
 * first_valid keeps the first branch whose reply matched the stage's schema; judge asks one more
 * model to pick the best answer or combine them. Each records what it decided.
 */
import type { ModelRequest } from '../providers/spec.js';
import type { BranchRun } from './run-branch.js';
import type { StepDecision } from './step-decision.js';
import { stepOutput, type StepOutput } from './step-prompt.js';
import type { PlannedStep } from './validate-chain.js';

export const DEFAULT_MERGE_PROMPT =
  'Several models answered the same request. Pick the best answer and reply with it alone, unchanged; ' +
  'or, when the answers complement each other, reply with one answer that combines their best parts.';

export interface GoodBranch {
  /** 0-based, in the order the stage lists its branches. */
  index: number;
  label: string;
  text: string;
  data?: unknown;
}

export interface MergeResult {
  /** Undefined when the judge failed: the step produced nothing. */
  output: StepOutput | undefined;
  decision?: StepDecision | undefined;
  /** The judge's call, costed and logged like a branch. */
  judge?: BranchRun | undefined;
}

/** Runs the judge's call: given by the chain, which knows the model, the accounting and the events. */
export type RunJudge = (request: ModelRequest) => Promise<BranchRun>;

export function goodBranches(branches: readonly BranchRun[]): GoodBranch[] {
  return branches.flatMap((branch, index) =>
    branch.status === 'ok'
      ? [{ index, label: `${branch.final!.provider}:${branch.final!.modelId}`, text: branch.text ?? '', data: branch.data }]
      : [],
  );
}

export async function mergeBranches(
  step: PlannedStep,
  prompt: string,
  good: readonly GoodBranch[],
  runJudge: RunJudge,
): Promise<MergeResult> {
  const joined = stepOutput(step.parallel, good);
  switch (step.merge?.strategy) {
    case undefined:
      return { output: joined };
    case 'first_valid': {
      // Branches that failed (their replies did not match) are not in `good`; order is the stage's.
      const first = good[0]!;
      return { output: picked(joined, first), decision: { kind: 'merge', strategy: 'first_valid', branch: first.index + 1 } };
    }
    case 'vote': {
      const { winner, votes, agreement } = countVotes(good);
      return {
        output: picked(joined, winner),
        decision: { kind: 'merge', strategy: 'vote', votes, agreement, branch: winner.index + 1, value: normaliseAnswer(winner.text) },
      };
    }
    case 'judge': {
      const merge = step.merge;
      const judge = await runJudge(judgeRequest(step, prompt, joined.outputs));
      const model = judge.final ? `${judge.final.provider}:${judge.final.modelId}` : merge.model!.modelId;
      if (judge.status !== 'ok') return { output: undefined, judge, decision: { kind: 'merge', strategy: 'judge' } };
      const text = judge.text ?? '';
      return {
        output: { output: text, outputs: joined.outputs, json: judge.data },
        judge,
        decision: { kind: 'merge', strategy: 'judge', judge: { model, answer: text } },
      };
    }
  }
}

function picked(joined: StepOutput, branch: GoodBranch): StepOutput {
  return { output: branch.text, outputs: joined.outputs, json: branch.data };
}

/** What the judge of a `merge: judge` stage is sent: its instruction, the stage's prompt, the labelled answers. */
export function judgeRequest(step: PlannedStep, prompt: string, answers: string): ModelRequest {
  const instruction = step.merge?.prompt ?? DEFAULT_MERGE_PROMPT;
  return { messages: [{ role: 'user', content: `${instruction}\n\nThe request:\n${prompt}\n\nThe answers:\n${answers}` }] };
}

/** Trimmed, whitespace collapsed, trailing punctuation dropped, case folded: "Yes." and "yes" are one vote. */
export function normaliseAnswer(text: string): string {
  return text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[\s\p{P}]+$/u, '')
    .toLocaleLowerCase('en');
}

/** The majority answer; a tie goes to the earliest branch. Agreement: the winner's count over the answers. */
export function countVotes(good: readonly GoodBranch[]): { winner: GoodBranch; votes: Record<string, number>; agreement: number } {
  // No prototype: an answer may be any word, "constructor" included.
  const votes = Object.create(null) as Record<string, number>;
  const firstWith = new Map<string, GoodBranch>();
  for (const branch of good) {
    const answer = normaliseAnswer(branch.text);
    votes[answer] = (votes[answer] ?? 0) + 1;
    if (!firstWith.has(answer)) firstWith.set(answer, branch);
  }
  let winner = good[0]!;
  for (const [answer, branch] of firstWith) {
    const best = votes[normaliseAnswer(winner.text)]!;
    if (votes[answer]! > best || (votes[answer] === best && branch.index < winner.index)) winner = branch;
  }
  const agreement = Math.round((votes[normaliseAnswer(winner.text)]! / good.length) * 1000) / 1000;
  return { winner, votes, agreement };
}

/** The progress line a merge prints: what it kept, and why. */
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
