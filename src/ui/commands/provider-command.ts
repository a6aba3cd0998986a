import { errorResult } from './command-error.js';
import { columns } from './columns.js';
import { failure, info, type SlashCommand } from './types.js';

export const providerCommand: SlashCommand = {
  name: 'provider',
  argumentHint: '[NAME]',
  description: "switch to a provider's default model; lists providers when empty",
  completion: (context) => [...context.catalog.providers.keys()],
  async action(context, args) {
    const name = args.trim();
    if (name === '') {
      const rows = [...context.catalog.providers.values()].map((provider) => [
        provider.name === context.session.provider ? '*' : ' ',
        provider.name,
        `default ${provider.defaultModel ?? '(none)'}`,
        `${provider.models.length} model${provider.models.length === 1 ? '' : 's'}`,
        `${provider.api} API`,
      ]);
      return info(`Providers (* in use: ${context.session.provider}); /provider NAME switches\n${columns(rows, ' ', context.width)}`);
    }
    if (!context.catalog.providers.has(name)) {
      return failure(`unknown provider "${name}"; known: ${[...context.catalog.providers.keys()].join(', ')}`, 'add one in models.yaml');
    }
    try {
      return { type: 'switch-model', resolved: await context.resolveModel(name) };
    } catch (error) {
      return errorResult(error);
    }
  },
};
