/** How `llmo ask` ends: the code block -x asked for, the spend of a tool loop, a cut or empty reply. */
import { ValidationError } from '../../errors.js';
import type { CallResult } from '../../orchestrator/call-model.js';
import { fencedCodeBlocks } from '../../orchestrator/extract-code-block.js';
import { ProviderUnavailableError } from '../../providers/spec.js';
import { formatUsd, withCommas } from '../../usage/pricing.js';
import { note, warn } from '../output.js';
import type { AskAnswer } from './ask-output.js';

/** After a tool loop, what the steps cost together (each step was a paid call). */
export function reportSpend(answer: AskAnswer): void {
  const calls = answer.toolCalls?.length ?? 0;
  const tokens = answer.usage ? `, ${withCommas(answer.usage.inputTokens)} in / ${withCommas(answer.usage.outputTokens)} out` : '';
  note(
    `${answer.steps} step${answer.steps === 1 ? '' : 's'}, ${calls} tool call${calls === 1 ? '' : 's'}${tokens}${answer.costUsd === undefined ? '' : `, ${formatUsd(answer.costUsd)}`}`,
  );
}

/** The chosen code block on stdout; an answer without one is exit 7, with the way to read it whole. */
export function printCodeBlock(text: string, which: 'first' | 'last', conversationId: string | undefined): void {
  const blocks = fencedCodeBlocks(text);
  const block = which === 'first' ? blocks[0] : blocks.at(-1);
  if (block === undefined) {
    throw new ValidationError('the answer has no fenced code block to extract; nothing was printed', {
      hint: conversationId
        ? `read the whole answer with: llmo conversations show ${conversationId}`
        : 'ask again without -x to see the whole answer',
    });
  }
  process.stdout.write(block);
}

/** What stdout alone cannot tell: the reply was cut short, filtered, empty or only reasoning. */
export function sayHowItEnded(result: CallResult, maxTokens: number | undefined, defaultMaxTokens: number | undefined): void {
  const who = `${result.provider}:${result.modelId}`;
  const onlyReasoning = result.text === '' && result.reasoning !== '';
  switch (result.finishReason) {
    case 'length': {
      const limit =
        maxTokens !== undefined
          ? `--max-tokens ${maxTokens}`
          : defaultMaxTokens !== undefined
            ? `the default of ${defaultMaxTokens} output tokens (request.max_tokens)`
            : 'the output token limit';
      warn(
        onlyReasoning
          ? `${who} spent all of ${limit} on reasoning and gave no answer; raise --max-tokens`
          : `the reply was cut off at ${limit}; raise --max-tokens for the rest`,
      );
      return;
    }
    case 'content-filter':
      warn(
        `${result.provider} stopped the reply with its content filter${result.text === '' ? '; there is no answer' : '; the reply is incomplete'}`,
      );
      return;
    case 'error':
      // The vendor ended the stream on its own failure (DeepSeek: insufficient_system_resource).
      throw new ProviderUnavailableError(`${result.provider}: the reply ended with an error on the provider's side; it may be incomplete`, {
        provider: result.provider,
        requestId: result.requestId,
      });
    default:
      if (onlyReasoning) note(`${who} answered with reasoning only, no reply text`);
      else if (result.text === '') note(`${who} sent an empty reply`);
  }
}
