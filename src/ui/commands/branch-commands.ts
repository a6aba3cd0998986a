/** /edit, /fork and /compress: other ways on from a turn, and the history made shorter to send. */
import { type CommandResult, failure, info, type SlashCommand } from './types.js';

export const editCommand: SlashCommand = {
  name: 'edit',
  argumentHint: '[TEXT]',
  description: 'ask TEXT instead of the last prompt, in a new branch (the old one stays saved); alone: edit the last prompt',
  action(context, args): CommandResult {
    const last = context.session.lastPrompt;
    if (last === undefined) return failure('Nothing to edit yet: no prompt has been sent.');
    if (args.trim() === '') return { type: 'fill-input', text: `/edit ${last}` };
    return { type: 'edit', prompt: args };
  },
};

export const forkCommand: SlashCommand = {
  name: 'fork',
  altNames: ['branch'],
  argumentHint: '[N]',
  description: 'carry on in a new branch from turn N (default: the last); this conversation stays saved',
  action(context, args): CommandResult {
    const turns = context.session.turns ?? 0;
    if (turns === 0) return failure('Nothing to fork yet: no prompt has been sent.');
    const text = args.trim();
    if (text === '') return { type: 'fork', turns };
    const wanted = Number(text);
    if (!Number.isInteger(wanted) || wanted < 1 || wanted > turns) {
      return failure(`/fork takes a turn from 1 to ${turns}, got "${text}"`, '/fork 2 keeps the first two prompts and their replies');
    }
    return { type: 'fork', turns: wanted };
  },
};

export const compressCommand: SlashCommand = {
  name: 'compress',
  description: 'summarise every turn but the last, to send less (the saved conversation keeps them all)',
  action(context): CommandResult {
    if ((context.session.turns ?? 0) < 2) return info('Nothing to compress: the conversation has fewer than two turns.');
    return { type: 'compress' };
  },
};
