/** `llmo chain list` and `llmo chain show NAME|FILE|INLINE`. */
import { isLlmoError } from '../../errors.js';
import { parseYamlChain } from '../../orchestrator/parse-chain-yaml.js';
import { validateChain } from '../../orchestrator/validate-chain.js';
import { resolveModelRef } from '../../providers/registry.js';
import type { ChainListOptions } from './chain-command.js';
import { planJson, planLines } from './chain-plan.js';
import { loadChain } from './chain-source.js';
import { getConfig } from '../context.js';
import { paint, useColor } from '../output.js';
import { chainRefResolver } from '../route/resolve-wanted.js';

interface ChainSummary {
  name: string;
  description: string | null;
  steps: string[];
  models: string[];
  file: string;
  /** Why the chain cannot run as written (it is listed anyway). */
  error: string | null;
}

export async function chainList(options: ChainListOptions): Promise<void> {
  const config = getConfig();
  const summaries: ChainSummary[] = [...config.settings.chains.entries()]
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([name, { definition, source }]) => {
      const base = { name, file: source.file, description: null, steps: [], models: [] };
      try {
        const chain = parseYamlChain({ name, definition, source, base: ['chains', name], kind: 'config' });
        const summary = {
          ...base,
          description: chain.description ?? null,
          steps: chain.steps.map((step) => step.name),
          models: [...new Set(chain.steps.flatMap((step) => step.branches.map((branch) => branch.model)))],
        };
        try {
          validateChain(chain, {
            catalog: config.catalog,
            resolveRef: (ref) => resolveModelRef(config.catalog, ref),
            checkVars: false,
            schemas: config.settings.schemas,
          });
          return { ...summary, error: null };
        } catch (error) {
          if (!isLlmoError(error)) throw error;
          return { ...summary, error: error.message };
        }
      } catch (error) {
        if (!isLlmoError(error)) throw error;
        return { ...base, error: error.message };
      }
    });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
    return;
  }
  if (summaries.length === 0) {
    process.stdout.write('no chains configured; add some under chains: in config.yaml (llmo config path shows where)\n');
    return;
  }
  const color = useColor(process.stdout);
  const width = Math.max(...summaries.map((summary) => summary.name.length));
  for (const summary of summaries) {
    const detail = summary.error
      ? paint(`invalid: ${summary.error}`, 'red', color)
      : [summary.description, paint(`(${summary.steps.join(' → ')}; ${summary.models.join(', ')})`, 'dim', color)]
          .filter(Boolean)
          .join('  ');
    process.stdout.write(`${summary.name.padEnd(width)}  ${detail}\n`);
  }
}

export async function chainShow(target: string, options: ChainListOptions): Promise<void> {
  const config = getConfig();
  const chain = loadChain(target, config);
  const plan = validateChain(chain, {
    catalog: config.catalog,
    resolveRef: await chainRefResolver(chain, config),
    checkVars: false,
    schemas: config.settings.schemas,
  });
  const view = { rendered: false };
  process.stdout.write(
    options.json ? `${JSON.stringify(planJson(plan, view), null, 2)}\n` : `${planLines(plan, view, useColor(process.stdout)).join('\n')}\n`,
  );
}
