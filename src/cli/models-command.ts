import { Command } from 'commander';

export function makeModelsCommand(): Command {
  return new Command('models')
    .description('list providers, models, aliases, prices and whether a key is available')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { listModels } = await import('./models.js');
      await listModels(options);
    });
}
