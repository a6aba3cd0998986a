/** /raw, /help and /exit. */
import { columns } from './columns.js';
import { info, type SlashCommand } from './types.js';

export const rawCommand: SlashCommand = {
  name: 'raw',
  altNames: ['markdown'],
  description: 'toggle between rendered markdown and the raw text',
  action: (context) => ({ type: 'set-raw', raw: !context.session.raw }),
};

const KEYS = [
  ['Enter', 'send'],
  ['\\ then Enter, Alt+Enter', 'new line'],
  ['↑ ↓', 'earlier prompts'],
  ['Tab', 'complete a command, model or id'],
  ['Ctrl-C', 'stop a reply; clear the line; twice on an empty line quits'],
  ['Ctrl-D', 'quit'],
];

export const helpCommand: SlashCommand = {
  name: 'help',
  altNames: ['?'],
  description: 'list commands and keys',
  action(context) {
    const commands = context.commands.map((command) => [
      `/${command.name}${command.argumentHint ? ` ${command.argumentHint}` : ''}`,
      command.description + (command.altNames?.length ? ` (also /${command.altNames.join(', /')})` : ''),
    ]);
    return info(
      `Commands\n${columns(commands, '  ', context.width)}\nKeys\n${columns(KEYS, '  ', context.width)}\nStart a message with // to send a literal /.`,
    );
  },
};

export const exitCommand: SlashCommand = {
  name: 'exit',
  altNames: ['quit'],
  description: 'quit (the conversation is saved)',
  action: () => ({ type: 'quit' }),
};
