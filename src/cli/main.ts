/**
 * The commander program. Each command lives in its own file (makeXCommand) and lazy-imports
 * its implementation, so `llmo --help` or `llmo ask` never load what they do not use.
 */
import { Command, CommanderError } from 'commander';
import { environmentErrorFor, UsageError } from '../errors.js';
import { makeAskCommand } from './ask/ask-command.js';
import { makeAuthCommand } from './auth/auth-command.js';
import { makeBatchCommand } from './batch/batch-command.js';
import { makeCacheCommand } from './cache/cache-command.js';
import { makeChainCommand } from './chain/chain-command.js';
import { makeChatCommand } from './chat/chat-command.js';
import { makeCompleteCommand, makeCompletionCommand } from './completion/completion-command.js';
import { makeConfigCommand } from './config/config-command.js';
import { makeConversationsCommand } from './conversations/conversations-command.js';
import { makeMcpCommand } from './mcp/mcp-command.js';
import { makeModelsCommand } from './models/models-command.js';
import { makeParallelCommand } from './parallel/parallel-command.js';
import { joinParamPairs } from './presets/join-param-pairs.js';
import { makeProfileCommand } from './profile/profile-command.js';
import { makeSchemaCommand } from './schema/schema-command.js';
import { makeTemplatesCommand } from './templates/templates-command.js';
import { makeUsageCommand } from './usage/usage-command.js';

declare const LLMO_VERSION: string | undefined;

export function makeProgram(): Command {
  const program = new Command('llmo')
    .description('a local-first LLM orchestrator for the terminal')
    .version(typeof LLMO_VERSION === 'string' ? LLMO_VERSION : '0.0.0-dev', '-V, --version')
    .showSuggestionAfterError(true)
    .option('--profile <name>', 'use a separate config, vault, conversations and usage log (llmo profile list; also $LLMO_PROFILE)')
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 internal error, 2 usage, 3 configuration, 4 authentication, 5 provider failure,
6 budget exceeded, 7 output failed validation, 8 stopped by the tool policy or a tool limit,
9 environment (disk full, read-only or busy file), 10 partial failure, 130 interrupted.`,
    )
    .action(async () => {
      // Bare `llmo`: the chat UI on a terminal, help when only stdout is redirected (piped input
      // never gets here: routeBarePrompt makes it `llmo ask`).
      if (process.stdin.isTTY && process.stdout.isTTY) {
        const { chat } = await import('./chat/chat.js');
        await chat({ attach: [], fragment: [] });
      } else {
        program.outputHelp();
      }
    });
  for (const command of [
    makeChatCommand(),
    makeAskCommand(),
    makeParallelCommand(),
    makeChainCommand(),
    makeBatchCommand(),
    makeSchemaCommand(),
    makeAuthCommand(),
    makeModelsCommand(),
    makeConfigCommand(),
    makeMcpCommand(),
    makeConversationsCommand(),
    makeUsageCommand(),
    makeCacheCommand(),
    makeProfileCommand(),
    makeTemplatesCommand(),
    makeCompletionCommand(),
  ]) {
    program.addCommand(command);
  }
  program.addCommand(makeCompleteCommand(program), { hidden: true });
  // Before any command reads its configuration: the profile decides every path (src/config/paths.ts).
  program.hook('preAction', () => {
    const { profile } = program.opts<{ profile?: string }>();
    if (profile !== undefined) process.env.LLMO_PROFILE = profile;
  });
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
    const routed = argv[0] === '__complete' ? completionWords(argv) : await routeBarePrompt(program, argv);
    await program.parseAsync(joinParamPairs(routed), { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; commander already printed everything else.
      if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help') return 0;
      return 2;
    }
    throw asEnvironmentError(error);
  }
}

/**
 * `llmo __complete CWORD WORDS…` gets the words being completed exactly as typed: after `--`,
 * commander takes none of them (not even the program's own --profile) as its options.
 */
function completionWords(argv: readonly string[]): string[] {
  return argv[1] === '--' ? [...argv] : ['__complete', '--', ...argv.slice(1)];
}

/**
 * `llmo "question"` asks it, as `llm "q"`, mods and aichat do: a first argument that is neither a
 * command nor --help/--version starts an `llmo ask` (`llmo -m sonnet "q"` too). A single word a
 * typo away from a command (`llmo chian run`) is more likely a mistyped command than a question,
 * so it gets "did you mean" and the way to ask it anyway. `echo q | llmo` asks what came on stdin.
 */
async function routeBarePrompt(program: Command, argv: readonly string[]): Promise<string[]> {
  // `llmo --profile work chat`: the program's own option comes first, then the routing as usual.
  const profileWords = argv[0] === '--profile' ? 2 : argv[0]?.startsWith('--profile=') ? 1 : 0;
  if (profileWords > 0) return [...argv.slice(0, profileWords), ...(await routeBarePrompt(program, argv.slice(profileWords)))];
  const [first] = argv;
  if (first === undefined) return process.stdin.isTTY ? [] : ['ask'];
  // `llmo -m sonnet "q"`: options before a prompt are ask's; only --help and --version are the program's.
  if (first.startsWith('-')) return ['-h', '--help', '-V', '--version'].includes(first) ? [...argv] : ['ask', ...argv];
  const names = program.commands.flatMap((command) => [command.name(), ...command.aliases()]);
  if (first === 'help' || names.includes(first)) return [...argv];
  if (/^[a-z][a-z-]*$/i.test(first) && looksLikeCommandLine(program, argv)) {
    const { closeMatches } = await import('../config/closest-match.js');
    const [match] = closeMatches(first, names, 1);
    if (match) {
      throw new UsageError(`unknown command "${first}"; did you mean ${match}?`, {
        hint: `to ask it as a question, run: llmo ask ${argv.join(' ')}`,
      });
    }
  }
  return ['ask', ...argv];
}

/**
 * A mistyped command is alone (`llmo usge`) or followed by an option or by a subcommand of some
 * command (`llmo chian run`); `llmo what is up` is a question, however close "what" is to "chat".
 */
function looksLikeCommandLine(program: Command, argv: readonly string[]): boolean {
  const second = argv[1];
  if (second === undefined || second.startsWith('-')) return true;
  return program.commands.some((command) => command.commands.some((sub) => sub.name() === second || sub.aliases().includes(second)));
}

/**
 * A file operation the machine refused (a full disk, a read-only home, no permission) that no
 * command turned into a message of its own: exit 9 naming the path and the fix, never
 * "internal error … please report it".
 */
function asEnvironmentError(error: unknown): unknown {
  const failed = error as NodeJS.ErrnoException | undefined;
  if (!failed || typeof failed !== 'object' || typeof failed.code !== 'string' || typeof failed.path !== 'string') return error;
  const verbs: Record<string, string> = {
    open: 'open',
    mkdir: 'create',
    write: 'write',
    rename: 'replace',
    unlink: 'remove',
    link: 'create',
  };
  return environmentErrorFor(error, verbs[failed.syscall ?? ''] ?? 'use', failed.path);
}

export { UsageError };
