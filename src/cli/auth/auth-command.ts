import { Command } from 'commander';
import { UsageError } from '../../errors.js';

const PASSWORD_FILE = [
  '--password-file <file>',
  'read the vault password from this file (else LLMO_PASSWORD_FILE, else a prompt)',
] as const;

/**
 * `llmo auth add openai sk-…` or `llmo auth unlock hunter2`: the secret is already in the shell's
 * history and was visible to `ps`. Say so (without repeating it) instead of commander's bare
 * "too many arguments", and store nothing.
 */
function refuseSecretArguments(command: Command, expected: number, secret: 'an API key' | 'a password'): void {
  if (command.args.length <= expected) return;
  const [fix, example] =
    secret === 'an API key'
      ? ['revoke it', `llmo auth add ${command.args[0]} < key.txt`]
      : ['change it', `llmo auth ${command.name()} --password-file FILE`];
  throw new UsageError(`${secret} must never be given on the command line; nothing was done`, {
    hint: `it may now be in your shell history and was visible to other processes: if it is real, ${fix}. Use the prompt, or: ${example}`,
  });
}

export function makeAuthCommand(): Command {
  const auth = new Command('auth').description('the encrypted key vault: store provider keys once, unlock once per session').addHelpText(
    'after',
    `
Keys in the vault win over the provider's environment variable (OPENAI_API_KEY, …).
Passwords come from a no-echo prompt, --password-file FILE or LLMO_PASSWORD_FILE=FILE — never
from a flag or variable holding the password itself.
Where no background agent may run: eval "$(llmo auth unlock --export)" sets LLMO_SESSION.`,
  );

  auth.addCommand(
    new Command('init')
      .description('create the vault (the password is asked twice)')
      .option(...PASSWORD_FILE)
      .option('--allow-weak', 'accept a password shorter than 8 characters (tests and throwaway vaults)')
      .allowExcessArguments()
      .action(async (options, command: Command) => {
        refuseSecretArguments(command, 0, 'a password');
        await (await import('./auth.js')).authInit(options);
      }),
  );
  auth.addCommand(
    new Command('add')
      .description("store a provider's key, or any named secret (vault:NAME): typed at a no-echo prompt, or read from stdin")
      .argument('<name>', 'a provider from models.yaml (openai, anthropic, …), or a secret name an MCP server refers to (github)')
      .option('--check', 'try the key with a cheap call (list models) before storing it')
      .option(...PASSWORD_FILE)
      .allowExcessArguments()
      .action(async (provider: string, options, command: Command) => {
        refuseSecretArguments(command, 1, 'an API key');
        await (await import('./auth.js')).authAdd(provider, options);
      }),
  );
  auth.addCommand(
    new Command('list')
      .description('the stored keys, masked, with the date they were added')
      .option(...PASSWORD_FILE)
      .action(async (options) => (await import('./auth.js')).authList(options)),
  );
  auth.addCommand(
    new Command('remove')
      .description("delete a provider's key from the vault")
      .argument('<provider>')
      .option(...PASSWORD_FILE)
      .action(async (provider: string, options) => (await import('./auth.js')).authRemove(provider, options)),
  );
  auth.addCommand(
    new Command('passwd')
      .description('change the vault password (the keys stay)')
      .option('--password-file <file>', 'the current password, from this file')
      .option('--new-password-file <file>', 'the new password, from this file (else asked twice)')
      .option('--allow-weak', 'accept a new password shorter than 8 characters (tests and throwaway vaults)')
      .allowExcessArguments()
      .action(async (options, command: Command) => {
        refuseSecretArguments(command, 0, 'a password');
        await (await import('./auth.js')).authPasswd(options);
      }),
  );
  auth.addCommand(
    new Command('unlock')
      .description('unlock once: a background agent keeps the key until it goes unused for --ttl')
      .option('--ttl <duration>', 'idle timeout, sliding with each use (e.g. 90s, 15m, 2h; at most 12h)', undefined)
      .option('--remember', 'also keep the key in the OS keychain for the next unlock')
      .option('--export', 'start no agent; print `export LLMO_SESSION=…` for eval in a shell')
      .option(...PASSWORD_FILE)
      .allowExcessArguments()
      .action(async (options, command: Command) => {
        refuseSecretArguments(command, 0, 'a password');
        await (await import('./auth.js')).authUnlock(options);
      }),
  );
  auth.addCommand(
    new Command('lock')
      .description('stop the agent, end exported sessions, forget the keychain copy')
      .action(async () => (await import('./auth.js')).authLock()),
  );
  auth.addCommand(
    new Command('status')
      .description('where the vault is, whether it is unlocked, where each key comes from')
      .action(async () => (await import('./auth.js')).authStatus()),
  );
  auth.addCommand(
    new Command('test')
      .description("try each key (or one provider's) with a cheap call: ok, rejected or unreachable")
      .argument('[provider]')
      .option(...PASSWORD_FILE)
      .action(async (provider: string | undefined, options) => (await import('./auth.js')).authTest(provider, options)),
  );
  return auth;
}
