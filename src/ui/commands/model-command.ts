import type { ModelCatalog } from '../../config/catalog.js';
import { errorResult } from './command-error.js';
import { columns } from './columns.js';
import { info, type CommandContext, type SlashCommand } from './types.js';

/** Every reference /model accepts: provider names, provider:model, and aliases. */
export function modelReferences(catalog: ModelCatalog): string[] {
  const references = new Set<string>();
  for (const provider of catalog.providers.values()) {
    references.add(provider.name);
    for (const model of provider.models) {
      references.add(`${provider.name}:${model.name}`);
      for (const alias of model.aliases) references.add(alias);
    }
  }
  return [...references];
}

export function listModels(context: CommandContext): string {
  const rows: string[][] = [];
  for (const provider of context.catalog.providers.values()) {
    for (const model of provider.models) {
      const label = `${provider.name}:${model.name}`;
      rows.push([
        label === context.session.model ? '*' : ' ',
        label,
        model.aliases.join(', '),
        model.pricing ? `$${model.pricing.input.toFixed(2)} / $${model.pricing.output.toFixed(2)} per 1M` : 'unpriced',
      ]);
    }
  }
  return `Models (* in use: ${context.session.model}); /model REF switches\n${columns(rows, ' ', context.width)}`;
}

export const modelCommand: SlashCommand = {
  name: 'model',
  argumentHint: '[REF]',
  description: 'switch model (provider:model, alias or provider name); lists models when empty',
  completion: (context) => modelReferences(context.catalog),
  async action(context, args) {
    const ref = args.trim();
    if (ref === '') return info(listModels(context));
    try {
      return { type: 'switch-model', resolved: await context.resolveModel(ref) };
    } catch (error) {
      return errorResult(error);
    }
  },
};
