import { Command } from 'commander';

const collect = (value: string, previous: string[]) => [...previous, value];

export function makeModelsCommand(): Command {
  const models = new Command('models')
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
  const prices = new Command('prices').description("models.yaml prices: refresh them from LiteLLM's price file");
  prices
    .command('import')
    .description("write the prices of a LiteLLM-format file (model_prices_and_context_window.json) for llmo's models into your models.yaml")
    .argument('<file>', 'the price file (JSON, USD per token)')
    .option('--model <ref>', 'also a model llmo does not list (repeatable): provider:model', collect, [])
    .option('-y, --yes', 'write without asking (required when not on a terminal)')
    .action(async (file: string, options: { model: string[]; yes?: boolean }) => {
      const { importPrices } = await import('./prices-import.js');
      await importPrices(file, options);
    });
  models.addCommand(prices);
  return models;
}
