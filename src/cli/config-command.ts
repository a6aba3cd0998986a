import { Command } from 'commander';

export function makeConfigCommand(): Command {
  const command = new Command('config').description('show where configuration lives, and read settings');
  command
    .command('path')
    .description('print where each file is looked for, and whether it exists')
    .action(async () => {
      const { printPaths } = await import('./config.js');
      printPaths();
    });
  command
    .command('get')
    .description('print a setting (dotted key, e.g. budgets.daily_usd), or all of them')
    .argument('[key]', 'dotted key')
    .action(async (key: string | undefined) => {
      const { getSetting } = await import('./config.js');
      getSetting(key);
    });
  return command;
}
