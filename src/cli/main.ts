/**
 * The commander program. Each command lives in its own file (makeXCommand) and lazy-imports
 * its implementation, so `llmo --help` or `llmo ask` never load what they do not use.
 */
import { Command, CommanderError } from 'commander';
import { UsageError } from '../errors.js';
import { makeAskCommand } from './ask/ask-command.js';
import { makeAuthCommand } from './auth/auth-command.js';
import { makeChainCommand } from './chain/chain-command.js';
import { makeChatCommand } from './chat/chat-command.js';
import { makeConfigCommand } from './config/config-command.js';
import { makeConversationsCommand } from './conversations/conversations-command.js';
import { makeMcpCommand } from './mcp/mcp-command.js';
import { makeModelsCommand } from './models/models-command.js';
import { makeParallelCommand } from './parallel/parallel-command.js';
import { makeSchemaCommand } from './schema/schema-command.js';
import { makeUsageCommand } from './usage/usage-command.js';

declare const LLMO_VERSION: string | undefined;

export function makeProgram(): Command {
  const program = new Command('llmo')
    .description('a local-first LLM orchestrator for the terminal')
    .version(typeof LLMO_VERSION === 'string' ? LLMO_VERSION : '0.0.0-dev', '-V, --version')
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 internal error, 2 usage, 3 configuration, 4 authentication, 5 provider failure,
6 budget exceeded, 7 output failed validation, 10 partial failure, 130 interrupted.`,
    )
    .action(async () => {
      // Bare `llmo`: the chat UI on a terminal, help anywhere else.
      if (process.stdin.isTTY && process.stdout.isTTY) {
        const { chat } = await import('./chat/chat.js');
        await chat({});
      } else {
        program.outputHelp();
      }
    });
  for (const command of [
    makeChatCommand(),
    makeAskCommand(),
    makeParallelCommand(),
    makeChainCommand(),
    makeSchemaCommand(),
    makeAuthCommand(),
    makeModelsCommand(),
    makeConfigCommand(),
    makeMcpCommand(),
    makeConversationsCommand(),
    makeUsageCommand(),
  ]) {
    program.addCommand(command);
  }
  applyToAll(program, (command) => {
    command.exitOverride();
    command.configureOutput({
      outputError: (text, write) => write(`llmo: ${text.replace(/^error: /, '')}`),
    });
  });
  return program;
}

function applyToAll(command: Command, apply: (command: Command) => void): void {
  apply(command);
  for (const child of command.commands) applyToAll(child, apply);
}

/** Runs the program; returns the exit code. LlmoErrors propagate to bin/llmo.js. */
export async function run(argv: readonly string[]): Promise<number> {
  const program = makeProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; commander already printed everything else.
      if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help') return 0;
      return 2;
    }
    throw error;
  }
}

export { UsageError };
