/**
 * `llmo chain run`: load the chain (name, file or inline), validate it against the catalog,
 * then either print the plan (--dry-run) or run it with live progress on stderr, save the run,
 * and print the last step's output (or the whole run with --json) on stdout.
 */
import { UsageError } from '../../errors.js';
import { chainRefResolver } from '../route/resolve-wanted.js';
import { runningRecord } from '../../orchestrator/run-record.js';
import { validateChain, type ChainPlan } from '../../orchestrator/validate-chain.js';
import { variables } from '../../orchestrator/template.js';
import { conditionsOf } from '../../orchestrator/planned-chain.js';
import { expressionPaths } from '../../orchestrator/expression/check-expression.js';
import type { ChainRunOptions } from './chain-command.js';
import { planJson, planLines } from './chain-plan.js';
import { executeChain } from './chain-execute.js';
import { loadChain } from './chain-source.js';
import { getConfig } from '../context.js';
import { useColor, warn } from '../output.js';
import { parseNumberFlag } from '../parse-number.js';
import { joinPrompt, readPipedStdin } from '../read-stdin.js';
import { reserveRunOrWarn } from '../save-run.js';

export async function chainRun(target: string, inputWords: string[], options: ChainRunOptions): Promise<void> {
  const config = getConfig();
  const vars = parseVars(options.var);
  const chain = loadChain(target, config);
  const plan = validateChain(chain, {
    catalog: config.catalog,
    resolveRef: await chainRefResolver(chain, config),
    vars,
    schemas: config.settings.schemas,
    toolServers: [...config.settings.mcp.servers.keys()],
  });
  // Checked here too, so that a dry run refuses a bad value as the run would.
  parseNumberFlag('--repair', options.repair, { min: 0, max: 10, integer: true });
  // A misspelt --var would otherwise be ignored in silence (and a default used instead).
  const used = usedVars(plan);
  const unused = Object.keys(vars).filter((key) => !used.has(key));
  if (unused.length && !options.quiet) {
    const uses = used.size ? `; it uses ${[...used].map((key) => `{{vars.${key}}}`).join(', ')}` : '';
    warn(`chain "${chain.name}" has no ${unused.map((key) => `{{vars.${key}}}`).join(', ')}: --var ${unused.join(', ')} ignored${uses}`);
  }
  const input = joinPrompt(inputWords.join(' '), await readPipedStdin());

  if (options.dryRun) {
    const view = { input, rendered: true };
    process.stdout.write(
      options.json
        ? `${JSON.stringify(planJson(plan, view), null, 2)}\n`
        : `${planLines(plan, view, useColor(process.stdout)).join('\n')}\n`,
    );
    return;
  }
  if (plan.readsInput && input === '') {
    throw new UsageError(`chain "${chain.name}" reads {{input}}, and none was given`, {
      hint: 'pass it as arguments (llmo chain run NAME "…") or pipe it on stdin (… | llmo chain run NAME)',
    });
  }

  const startedAt = new Date();
  const context = { id: '', startedAt, input, vars: plan.vars };
  const reserved = await reserveRunOrWarn(config.paths.runsDir, 'chain', startedAt, (id) =>
    runningRecord({ ...context, id }, 'chain', chain),
  );
  context.id = reserved.id;
  await executeChain({ chain, plan, input, options, context, reserved });
}

function parseVars(pairs: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    const key = equals < 0 ? '' : pair.slice(0, equals);
    if (!/^[A-Za-z0-9_-]+$/.test(key))
      throw new UsageError(`--var expects KEY=VALUE, got "${pair}"`, {
        hint: 'e.g. --var audience=engineers (then {{vars.audience}} in a prompt)',
      });
    vars[key] = pair.slice(equals + 1);
  }
  return vars;
}

/** The {{vars.KEY}} keys the chain's prompts, conditions and judges use. */
function usedVars(plan: ChainPlan): Set<string> {
  const paths = plan.allSteps.flatMap((step) => [
    ...variables(step.template).map(({ variable }) => variable),
    ...conditionsOf(step).flatMap((condition) =>
      condition.kind === 'judge'
        ? variables(condition.about).map(({ variable }) => variable)
        : expressionPaths(condition.expression.tree).map(({ path }) => path),
    ),
  ]);
  return new Set(paths.flatMap((path) => (path.kind === 'var' ? [path.key] : [])));
}
