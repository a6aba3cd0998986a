/**
 * Why a step ran the way it did (CHAIN-FORMAT.md, "Recorded decisions"): the value of a `when`
 * or `until`, a judge's answer, the case a `switch` took, a merge's votes, a foreach's item
 * count. Kept in the run and printed by `--json`, so a run can be explained after the fact.
 */
export interface StepDecision {
  kind: 'when' | 'until' | 'switch' | 'merge' | 'foreach';
  /** The expression as written, when there was one. */
  expression?: string | undefined;
  /** What the expression (or merge) came to. */
  value?: unknown;
  judge?: { model: string; answer: string } | undefined;
  taken?: boolean | undefined;
  case?: string | undefined;
  iterations?: number | undefined;
  stoppedBy?: 'until' | 'stable' | 'max_iterations' | undefined;
  /** merge: vote — how many branches gave each normalised answer. */
  votes?: Record<string, number> | undefined;
  /** merge: vote — the winner's count over the answered branches. */
  agreement?: number | undefined;
  /** foreach: how many items ran. */
  items?: number | undefined;
  /** merge: which strategy, and which branch (1-based) it picked, when it picked one. */
  strategy?: 'concat' | 'judge' | 'vote' | 'first_valid' | undefined;
  branch?: number | undefined;
}
