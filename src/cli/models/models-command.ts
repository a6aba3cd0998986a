import { Command } from 'commander';

export function makeModelsCommand(): Command {
  return new Command('models')
    .description('list providers, models, aliases, prices and whether a key is available')
    .option(
      '--json',
      'print JSON: one object per model; key is vault, env, none, locked (the vault is locked and may hold one) or not-needed',
    )
    .action(async (options: { json?: boolean }) => {
      const { listModels } = await import('./models.js');
      await listModels(options);
    });
}
