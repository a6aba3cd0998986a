/**
 * How demanding a prompt looks, 0–10, from what can be seen without a model (README, "Routing"):
 * its length, whether it holds code, how many questions it asks and whether it asks for
 * reasoning. `-m auto` asks for a better model the higher it is. A heuristic, kept small so that
 * a person can predict it.
 */

export interface Complexity {
  /** 0 (a greeting) to 10 (long code with many questions). */
  score: number;
  promptTokens: number;
  hasCode: boolean;
  questions: number;
  /** Words that ask for reasoning: why, prove, explain, compare, design, debug, refactor, step by step… */
  asksReasoning: boolean;
}

const CODE = /```|^\s*(def |class |function |import |from \S+ import|#include|public |fn |let |const |SELECT |<\w+[^>]*>)|[;{}]\s*$|=>/im;
const REASONING =
  /\b(why|prove|proof|explain|analy[sz]e|compare|trade-?offs?|design|architect|debug|refactor|optimi[sz]e|step by step|derive)\b/i;

export function estimateComplexity(text: string, promptTokens: number, attachments = 0): Complexity {
  const hasCode = CODE.test(text);
  const questions = (text.match(/\?/g) ?? []).length;
  const asksReasoning = REASONING.test(text);
  const length = promptTokens >= 4000 ? 3 : promptTokens >= 1000 ? 2 : promptTokens >= 200 ? 1 : 0;
  const asking = questions >= 4 ? 2 : questions >= 2 ? 1 : 0;
  const score = Math.min(10, length + (hasCode ? 3 : 0) + asking + (asksReasoning ? 2 : 0) + (attachments > 0 ? 1 : 0));
  return { score, promptTokens, hasCode, questions, asksReasoning };
}

/** `complexity 5/10 (code, 2 questions, reasoning, ~1,200 tokens)` for --explain. */
export function describeComplexity(complexity: Complexity): string {
  const signs = [
    complexity.hasCode ? 'code' : undefined,
    complexity.questions > 0 ? `${complexity.questions} question${complexity.questions === 1 ? '' : 's'}` : undefined,
    complexity.asksReasoning ? 'asks for reasoning' : undefined,
    `~${complexity.promptTokens} tokens`,
  ].filter(Boolean);
  return `complexity ${complexity.score}/10 (${signs.join(', ')})`;
}
