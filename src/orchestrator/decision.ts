/**
 * A decision a chain took at run time, recorded in the saved run and `--json` (CHAIN-FORMAT
 * "Recorded decisions"): which way a `when` went and why, how a loop stopped, which case ran.
 */
export interface Decision {
  kind: 'when' | 'until' | 'switch' | 'merge' | 'foreach';
  /** The expression as written. */
  expression?: string | undefined;
  /** What the expression evaluated to. */
  value?: unknown;
  judge?: { model: string; answer: string } | undefined;
  taken?: boolean | undefined;
  case?: string | undefined;
  iterations?: number | undefined;
  stoppedBy?: 'until' | 'stable' | 'max_iterations' | undefined;
  votes?: Record<string, number> | undefined;
  agreement?: number | undefined;
  items?: number | undefined;
}
