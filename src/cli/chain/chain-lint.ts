/**
 * `llmo chain lint FILE|NAME`: everything `chain run` checks before its first call (the YAML, the
 * chain's shape, models, roles, personas, templates, expressions, schemas, tool servers; keys are
 * not needed), plus config/chain.schema.json. Prints `ok: NAME (N steps)`, or every mistake found,
 * one per line with its file:line (and a caret where there is one), and exits 3.
 */
import type { LlmoConfig } from '../../config/load.js';
import { ConfigError, isLlmoError } from '../../errors.js';
import type { ChainDefinition } from '../../orchestrator/chain-definition.js';
import { type ChainPlan, validateChain } from '../../orchestrator/validate-chain.js';
import { getConfig } from '../context.js';
import { chainRefResolver } from '../route/resolve-wanted.js';
import { type FoundChain, findChain, parseFoundChain } from './chain-source.js';

export interface LintResult {
  /** Every mistake, the schema's first (they are all found at once), then the first of the checks. */
  errors: ConfigError[];
  chain?: ChainDefinition | undefined;
  plan?: ChainPlan | undefined;
}

export async function chainLint(target: string): Promise<void> {
  const config = getConfig();
  const found = findChain(target, config);
  const { errors, plan } = await lintChain(found, config);
  if (plan && errors.length === 0) {
    const count = plan.chain.steps.length;
    process.stdout.write(`ok: ${plan.chain.name} (${count} step${count === 1 ? '' : 's'})\n`);
    return;
  }
  process.stderr.write(lintReport(errors));
  process.exitCode = 3;
}

/** One `llmo: …` line per mistake (carets below their line); the hint only when there is one mistake. */
export function lintReport(errors: readonly ConfigError[]): string {
  return errors.map((error) => `llmo: ${error.message}\n${errors.length === 1 && error.hint ? `  ${error.hint}\n` : ''}`).join('');
}

export async function lintChain(found: FoundChain, config: LlmoConfig): Promise<LintResult> {
  const errors: ConfigError[] = [];
  if (found.kind !== 'inline') {
    const { checkChainSchema } = await import('../../structured/chain-schema.js');
    errors.push(...(await checkChainSchema(found.source, found.base, found.definition)));
  }
  let chain: ChainDefinition | undefined;
  let plan: ChainPlan | undefined;
  try {
    chain = parseFoundChain(found);
    plan = validateChain(chain, {
      catalog: config.catalog,
      // A step's `model: auto…` is checked as the run checks it, but needs no key here either.
      resolveRef: await chainRefResolver(chain, config, { anyKey: true }),
      // A {{vars.KEY}} without a default is given with --var when the chain runs.
      checkVars: false,
      schemas: config.settings.schemas,
      toolServers: [...config.settings.mcp.servers.keys()],
    });
  } catch (error) {
    if (!isLlmoError(error)) throw error;
    const failure = error instanceof ConfigError ? error : new ConfigError(error.message, { hint: error.hint });
    // The schema usually named the same mistake at the same line already.
    if (!errors.some((known) => lineOf(known) !== undefined && lineOf(known) === lineOf(failure))) errors.push(failure);
  }
  return { errors, chain, plan: errors.length ? undefined : plan };
}

/** `file:line` at the start of a message, when it has one. */
function lineOf(error: ConfigError): string | undefined {
  return /^(\S+?:\d+)(?::\d+)?: /.exec(error.message)?.[1];
}
