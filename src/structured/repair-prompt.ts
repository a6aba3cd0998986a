/**
 * The turn that asks a model to correct its JSON: the conversation so far, the invalid reply as
 * the assistant's turn, then the problems (at most 20, each a JSON path and what is wrong) and a
 * request for the corrected JSON alone.
 */
import type { Message } from '../providers/spec.js';
import { describeIssues, type ValidationIssue } from './validator.js';

export const MAX_REPAIR_ISSUES = 20;

/** Why a reply was not accepted: it held no parsable JSON, or its JSON broke the schema. */
export type ReplyProblem = { kind: 'unparsable'; problem: string } | { kind: 'invalid'; issues: readonly ValidationIssue[] };

export function repairMessages(conversation: readonly Message[], reply: string, problem: ReplyProblem): Message[] {
  const what =
    problem.kind === 'unparsable'
      ? `Your reply could not be read as JSON (${problem.problem}).`
      : `Your reply does not match the required JSON Schema:\n${describeIssues(problem.issues, MAX_REPAIR_ISSUES)
          .map((line) => `- ${line}`)
          .join('\n')}`;
  return [
    ...conversation,
    { role: 'assistant', content: reply },
    { role: 'user', content: `${what}\n\nReply with the corrected JSON only: no explanation, no code fence.` },
  ];
}
