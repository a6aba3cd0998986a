import { Command } from 'commander';

export function makeModelsCommand(): Command {
  return new Command('models')
    .description('list providers, models, aliases, prices and whether a key is available')
    .option(
      '--json',
      'print JSON: one object per model; key is vault, env, none, locked (the vault is locked and may hold one) or not-needed',
    )
    .option('--remote [provider]', "ask the providers' endpoints (or one provider's) which models they serve for your key")
    .action(async (options: { json?: boolean; remote?: string | boolean }) => {
      const { listModels, listRemoteModels } = await import('./models.js');
      if (options.remote !== undefined) await listRemoteModels(typeof options.remote === 'string' ? options.remote : undefined, options);
      else await listModels(options);
    });
}
