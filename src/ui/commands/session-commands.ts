/** /raw, /help and /exit. */
import { columns } from './columns.js';
import { info, type CommandResult, type RequestParameters, type SlashCommand } from './types.js';

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

const PARAMETERS = {
  max_tokens: { key: 'maxTokens', min: 1, max: 10_000_000, integer: true },
  temperature: { key: 'temperature', min: 0, max: 2, integer: false },
} as const;

/** `/set max_tokens 2000`, `/set temperature 0.2`, `/set temperature default`; `/set` shows them. */
export const setCommand: SlashCommand = {
  name: 'set',
  argumentHint: '[NAME VALUE]',
  description: 'set max_tokens or temperature for the rest of this chat; alone, show them',
  completion: (_context, partial) => Object.keys(PARAMETERS).filter((name) => name.startsWith(partial)),
  action(context, args): CommandResult {
    const current = context.session.parameters;
    const shown = (parameters: RequestParameters) =>
      `max_tokens ${parameters.maxTokens ?? 'default'}, temperature ${parameters.temperature ?? 'default'}`;
    const [name, value, ...rest] = args.trim().split(/\s+/).filter(Boolean);
    if (name === undefined) return info(shown(current));
    const parameter = PARAMETERS[name as keyof typeof PARAMETERS];
    if (!parameter || value === undefined || rest.length > 0) {
      return {
        type: 'message',
        level: 'error',
        text: `/set ${args.trim()}: expected /set max_tokens N or /set temperature N`,
        hint: 'or VALUE default to go back to the configured one',
      };
    }
    let parsed: number | undefined;
    if (value !== 'default') {
      parsed = Number(value);
      const whole = !parameter.integer || Number.isInteger(parsed);
      if (!Number.isFinite(parsed) || parsed < parameter.min || parsed > parameter.max || !whole) {
        return {
          type: 'message',
          level: 'error',
          text: `/set ${name}: "${value}" must be ${parameter.integer ? 'a whole number' : 'a number'} from ${parameter.min} to ${parameter.max}`,
        };
      }
    }
    const parameters = { ...current, [parameter.key]: parsed };
    return { type: 'set-parameters', parameters, text: shown(parameters) };
  },
};
