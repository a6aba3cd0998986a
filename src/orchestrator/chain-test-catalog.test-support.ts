/** A small catalog and YAML-chain helpers shared by the orchestrator's unit tests. */
import { buildCatalog, type ModelCatalog } from '../config/catalog.js';
import { resolveModelRef } from '../config/resolve-model-ref.js';
import { parseYaml } from '../config/yaml-file.js';
import type { ChainDefinition } from './chain-definition.js';
import { parseYamlChain } from './parse-chain-yaml.js';

export const catalog: ModelCatalog = buildCatalog([
  parseYaml(
    'models.yaml',
    `
alpha:
  api: openai
  models:
    - { name: one, aliases: [a1], max_tokens: 1000, pricing: { input: 1, output: 2 } }
    - { name: two }
beta:
  api: anthropic
  models:
    - { name: one, aliases: [b1] }
gamma:
  api: gemini
  models:
    - { name: one, aliases: [g1] }
system_prompts:
  roles: { critique: "You criticise.", summarize: "You summarise." }
  personas: { poet: "You are a poet.", tester: "You test." }
`,
  ),
]);

/** The resolver the CLI would give the orchestrator, over the catalog above. */
export const resolveRef = (ref: string) => resolveModelRef(catalog, ref);

/** Parses `chains:` YAML text the way config does and returns the named chain. */
export function configChain(yaml: string, name: string): ChainDefinition {
  const source = parseYaml('/home/me/.config/llmo/config.yaml', yaml);
  const chains = (source.value as { chains: Record<string, unknown> }).chains;
  return parseYamlChain({ name, definition: chains[name], source, base: ['chains', name], kind: 'config' });
}
