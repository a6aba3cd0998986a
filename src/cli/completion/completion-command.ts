import { Command } from 'commander';
import { UsageError } from '../../errors.js';

/** `llmo completion SHELL`: prints the script that makes Tab complete llmo in that shell. */
export function makeCompletionCommand(): Command {
  return new Command('completion')
    .description('print the shell completion script: bash, zsh or fish')
    .argument('<shell>', 'bash | zsh | fish')
    .action(async (shell: string) => {
      const { COMPLETION_SCRIPTS, SHELLS } = await import('./completion-scripts.js');
      if (!(SHELLS as readonly string[]).includes(shell)) {
        throw new UsageError(`no completion for "${shell}"; choose one of ${SHELLS.join(', ')}`);
      }
      process.stdout.write(COMPLETION_SCRIPTS[shell as keyof typeof COMPLETION_SCRIPTS]);
    });
}

/** The hidden `llmo __complete CWORD WORDS…` the scripts call. */
export function makeCompleteCommand(program: Command): Command {
  return new Command('__complete')
    .argument('<cword>')
    .argument('[words...]')
    .allowUnknownOption()
    .helpOption(false)
    .action(async (cword: string, words: string[]) => {
      const { completeWords } = await import('./complete-words.js');
      const candidates = completeWords(program, Number(cword), words);
      if (candidates.length) process.stdout.write(`${candidates.join('\n')}\n`);
    });
}
