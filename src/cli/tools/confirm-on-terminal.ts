/**
 * The question a terminal asks before an `ask`-policy tool runs: once, always this session,
 * always (the rule is saved to config.yaml), or no. Anything else, including an empty line, is no:
 * running a tool by accident is worse than asking again.
 */
import { createInterface } from 'node:readline/promises';
import type { ConfirmToolCall } from '../../orchestrator/run-tool-loop.js';
import type { ApprovalChoice } from '../../orchestrator/tool-policy.js';
import { saveToolRule } from '../config/config.js';
import { note, paint, useColor, warn } from '../output.js';

/** Whether someone can be asked: both ends of the conversation are a terminal. */
export function canAskOnTerminal(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

export function parseApproval(answer: string): ApprovalChoice {
  switch (answer.trim().toLowerCase()) {
    case 'y':
    case 'yes':
    case 'o':
    case 'once':
      return 'once';
    case 's':
    case 'session':
      return 'session';
    case 'a':
    case 'always':
      return 'always';
    default:
      return 'deny';
  }
}

/** Asks on stderr, reads the answer from stdin; `before` runs first (to end a half-written line). */
export function confirmOnTerminal(before?: () => void): ConfirmToolCall {
  return async ({ call }) => {
    before?.();
    const color = useColor();
    const readline = createInterface({ input: process.stdin, output: process.stderr });
    let answer: string;
    try {
      answer = await readline.question(
        `${paint('llmo:', 'dim', color)} run ${paint(call.name, 'bold', color)} ${JSON.stringify(call.arguments)}?\n` +
          `  [y] once  [s] always this session  [a] always (saved to config.yaml)  [n] no  › `,
      );
    } finally {
      readline.close();
    }
    const choice = parseApproval(answer);
    if (choice === 'always') {
      try {
        const file = await saveToolRule(call.name, 'allow');
        note(`saved "${call.name}: allow" under tools.policy in ${file}`);
      } catch (error) {
        warn(`could not save the rule: ${(error as Error).message}; allowed for this session only`);
      }
    }
    return choice;
  };
}
