/** `llmo chain list` and `llmo chain show NAME|FILE|INLINE`. */
import { isLlmoError } from '../../errors.js';
import { allChainSteps } from '../../orchestrator/chain-definition.js';
import { validateChain } from '../../orchestrator/validate-chain.js';
import type { ChainListOptions } from './chain-command.js';
import { planJson, planLines } from './chain-plan.js';
import { type FoundChain, findChain, loadChain, parseFoundChain } from './chain-source.js';
import { userChains } from './user-chains.js';
import type { LlmoConfig } from '../../config/load.js';
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
  const parsed = listedChains(config).map(({ name, file, read }) => {
    try {
      return { name, file, chain: parseFoundChain(read()) };
    } catch (error) {
      if (!isLlmoError(error)) throw error;
      return { name, file, error: error.message };
    }
  });
  // A step's `model: auto…` is checked as `chain run` checks it, routing's inputs read once for every chain.
  const resolveRef = await chainRefResolver(
    parsed.flatMap((entry) => (entry.chain ? [entry.chain] : [])),
    config,
    { anyKey: true },
  );
  const summaries: ChainSummary[] = parsed.map(({ name, file, chain, error }) => {
    const base = { name, file, description: null, steps: [], models: [] };
    if (!chain) return { ...base, error: error ?? null };
    const summary = {
      ...base,
      description: chain.description ?? null,
      steps: chain.steps.map((step) => step.name),
      models: [...new Set(allChainSteps(chain.steps).flatMap((step) => step.branches.map((branch) => branch.model)))],
    };
    try {
      validateChain(chain, { catalog: config.catalog, resolveRef, checkVars: false, schemas: config.settings.schemas });
      return { ...summary, error: null };
    } catch (error) {
      if (!isLlmoError(error)) throw error;
      return { ...summary, error: error.message };
    }
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
    return;
  }
  if (summaries.length === 0) {
    process.stdout.write(
      'no chains configured; add some under chains: in config.yaml (llmo config path shows where), or write one with llmo chain new NAME --from TEMPLATE\n',
    );
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

/** Config's chains, then the user's chain files that config does not shadow, by name. */
function listedChains(config: LlmoConfig): { name: string; file: string; read: () => FoundChain }[] {
  const configured = [...config.settings.chains.entries()].map(([name, { definition, source }]) => ({
    name,
    file: source.file,
    read: (): FoundChain => ({ kind: 'config', name, definition, source, base: ['chains', name] }),
  }));
  const saved = userChains(config)
    .filter((chain) => !config.settings.chains.has(chain.name))
    .map(({ name, file }) => ({ name, file, read: () => findChain(file, config) }));
  return [...configured, ...saved].sort((left, right) => left.name.localeCompare(right.name));
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
