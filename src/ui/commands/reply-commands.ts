/** /retry, /copy and /cost: what to do with the replies so far. */
import { lastReply, totalUsage, usageByModel, type UsageTotals } from '../../conversations/index.js';
import { formatUsd } from '../../usage/pricing.js';
import { errorResult } from './command-error.js';
import { columns } from './columns.js';
import { modelReferences } from './model-command.js';
import { failure, info, type SlashCommand } from './types.js';

export const retryCommand: SlashCommand = {
  name: 'retry',
  argumentHint: '[REF]',
  description: 'regenerate the last reply, with another model when REF is given (and from then on)',
  completion: (context) => modelReferences(context.catalog),
  async action(context, args) {
    if (context.session.retryPrompt === undefined) return failure('Nothing to retry yet.');
    const ref = args.trim();
    if (ref === '') return { type: 'retry' };
    try {
      return { type: 'retry', resolved: await context.resolveModel(ref) };
    } catch (error) {
      return errorResult(error);
    }
  },
};

export const copyCommand: SlashCommand = {
  name: 'copy',
  description: 'copy the last reply to the clipboard',
  async action(context) {
    const reply = lastReply(context.session.conversation);
    if (!reply || reply.content === '') return failure('Nothing to copy yet.');
    const outcome = await context.clipboard.copy(reply.content);
    if (!outcome.copied) return failure(outcome.reason);
    const characters = `${reply.content.length} characters`;
    return info(
      outcome.uncertain
        ? `Sent the last reply (${characters}) to ${outcome.method}; not every terminal accepts it.`
        : `Copied the last reply (${characters}) with ${outcome.method}.`,
    );
  },
};

/** 12345 → "12,345", as the status line writes counts. */
const count = (value: number) => value.toLocaleString('en-US');

function usageCells(totals: UsageTotals): string[] {
  const notes: string[] = [];
  if (totals.costUsd !== undefined) notes.push(formatUsd(totals.costUsd));
  if (totals.unpricedReplies) notes.push(totals.costUsd === undefined ? 'unpriced' : `${totals.unpricedReplies} unpriced`);
  if (totals.unreportedReplies) notes.push(`${totals.unreportedReplies} without usage (interrupted or not reported)`);
  return [
    `${totals.replies} ${totals.replies === 1 ? 'reply' : 'replies'}`,
    `${count(totals.inputTokens)} in`,
    `${count(totals.outputTokens)} out`,
    notes.join(' + '),
  ];
}

export const costCommand: SlashCommand = {
  name: 'cost',
  altNames: ['usage'],
  description: 'tokens and cost of this conversation so far, per model',
  action(context) {
    const replaced = context.session.replaced ?? [];
    // A reply /retry replaced was paid for all the same.
    const messages = [...context.session.conversation.messages, ...replaced];
    const total = totalUsage(messages);
    if (total.replies === 0) return info('No replies yet: nothing spent.');
    const rows = [...usageByModel(messages)].map(([model, totals]) => [model, ...usageCells(totals)]);
    if (rows.length > 1) rows.push(['total', ...usageCells(total)]);
    const note = replaced.length
      ? `\n  (counting ${replaced.length} ${replaced.length === 1 ? 'reply' : 'replies'} replaced by /retry)`
      : '';
    return info(`Cost of this conversation\n${columns(rows, '  ', context.width)}${note}`);
  },
};
