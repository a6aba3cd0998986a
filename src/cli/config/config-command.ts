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
  command
    .command('set')
    .description('write a setting into your config.yaml (dotted key, YAML value: 5, true, null, text)')
    .argument('<key>', 'dotted key, e.g. budgets.daily_usd')
    .argument('<value>', 'the value, read as YAML')
    .action(async (key: string, value: string) => {
      const { setSetting } = await import('./config.js');
      await setSetting(key, value);
    });
  return command;
}
