/**
 * Which tool calls run without asking: `tools.policy` rules (`allow | ask | deny` per pattern, the
 * last matching rule wins, as in opencode), then the rules the user gave this session ("always
 * this session" answers), then `--approve PATTERN` (allow). A tool no rule names needs asking.
 * `--yes` turns every remaining `ask` into `allow`; a `deny` stays a deny.
 */
import type { ToolDecision, ToolSettings } from '../config/tool-settings.js';
import { matchesTool } from './tool-patterns.js';

export type { ToolDecision };

/** One `tools.policy` entry, as config reads it. */
export type ToolRule = ToolSettings['policy'][number];

/** What a person answered when asked to run a tool. `always` is also saved to config by whoever asked. */
export type ApprovalChoice = 'once' | 'session' | 'always' | 'deny';

export interface ToolPolicyOptions {
  /** `--approve PATTERN`: allowed whatever the config says. */
  approve?: readonly string[];
  /** `--yes`: every `ask` becomes `allow`. */
  yes?: boolean;
}

export class ToolPolicy {
  readonly #rules: readonly ToolRule[];
  readonly #sessionRules: ToolRule[] = [];
  readonly #approve: readonly string[];
  readonly #yes: boolean;

  constructor(rules: readonly ToolRule[] = [], options: ToolPolicyOptions = {}) {
    this.#rules = rules;
    this.#approve = options.approve ?? [];
    this.#yes = options.yes ?? false;
  }

  decide(name: string): ToolDecision {
    if (this.#approve.some((pattern) => matchesTool(pattern, name))) return 'allow';
    let decision: ToolDecision = 'ask';
    for (const rule of [...this.#rules, ...this.#sessionRules]) if (matchesTool(rule.pattern, name)) decision = rule.decision;
    return decision === 'ask' && this.#yes ? 'allow' : decision;
  }

  /** "Always this session": later calls of this tool run without asking. */
  allowForSession(name: string): void {
    this.#sessionRules.push({ pattern: name, decision: 'allow' });
  }
}
