/**
 * `llmo chain run`: load the chain (name, file or inline), validate it against the catalog,
 * then either print the plan (--dry-run) or run it with live progress on stderr, save the run,
 * and print the last step's output (or the whole run with --json) on stdout.
 */
import { UsageError } from '../../errors.js';
import { retryNotice } from '../../providers/retry.js';
import { chainRefResolver } from '../route/resolve-wanted.js';
import { runChain } from '../../orchestrator/run-chain.js';
import { chainRunRecord, runningRecord } from '../../orchestrator/run-record.js';
import { discardRun } from '../../orchestrator/run-store.js';
import { validateChain, type ChainPlan } from '../../orchestrator/validate-chain.js';
import { variables } from '../../orchestrator/template.js';
import type { ChainRunOptions } from './chain-command.js';
import { planJson, planLines } from './chain-plan.js';
import { createChainProgress } from './chain-progress.js';
import { loadChain } from './chain-source.js';
import { createAccounting, createResolver, getConfig, openResponseCache, retryPolicy, timeoutMs } from '../context.js';
import { note, useColor, warn } from '../output.js';
import { parseNumberFlag } from '../parse-number.js';
import { schemaCacheDir } from '../schema/schema-flags.js';
import { joinPrompt, readPipedStdin } from '../read-stdin.js';
import { reserveRunOrWarn, saveRunOrWarn } from '../save-run.js';
import { abortOnInterrupt } from '../signals.js';

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
  const repairs = parseNumberFlag('--repair', options.repair, { min: 0, max: 10, integer: true });
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

  const requestTimeout = timeoutMs(options.timeout);
  const resolve = createResolver({ quiet: Boolean(options.quiet) });
  const accounting = await createAccounting({ noBudget: !options.budget });
  const progress = createChainProgress(plan, {
    quiet: Boolean(options.quiet),
    live: Boolean(process.stderr.isTTY),
    // On a terminal the last step's answer streams as it arrives; a pipe gets it whole, or nothing.
    output: !options.json && process.stdout.isTTY ? process.stdout : undefined,
  });
  const retry = {
    ...retryPolicy({ quiet: true }),
    onRetry: (info: Parameters<typeof retryNotice>[0]) => progress.note(retryNotice(info, config.settings.request.retries)),
  };

  const { runsDir } = config.paths;
  const startedAt = new Date();
  const context = { id: '', startedAt, input, vars: plan.vars };
  const reserved = await reserveRunOrWarn(runsDir, 'chain', startedAt, (id) => runningRecord({ ...context, id }, 'chain', chain));
  const { id } = reserved;
  context.id = id;
  const selectors = plan.steps.flatMap((step) => step.tools?.selectors ?? []);
  // No terminal prompt under a live progress board: a chain's `ask` tools need --approve or --yes.
  const tools = selectors.length
    ? await (await import('../tools/open-run-tools.js')).openRunTools(config, { ...options, tools: selectors })
    : undefined;
  const interrupt = abortOnInterrupt();
  let run;
  try {
    run = await runChain({
      plan,
      input,
      resolve,
      accounting,
      retry,
      concurrency: config.settings.parallel.concurrency,
      source: { kind: 'chain', id, name: chain.name },
      enforceBudget: options.budget,
      signal: interrupt.signal,
      timeoutMs: requestTimeout,
      repairs,
      schemaCacheDir: schemaCacheDir(config.paths.runtimeDir),
      cache: options.cache === false ? undefined : await openResponseCache(),
      cacheByDefault: options.cache ?? config.settings.cache.enabled,
      onEvent: (event) => progress.onEvent(event),
      tools,
    });
  } catch (error) {
    // Refused before any call (a missing key, the budget): there is no run to keep.
    if (reserved.saved) await discardRun(runsDir, id);
    throw error;
  } finally {
    interrupt.dispose();
    progress.stop();
    await tools?.host.close();
  }

  const record = chainRunRecord(context, chain, run);
  const saved = await saveRunOrWarn(runsDir, reserved, record);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
  } else if (run.output !== undefined && !progress.printedOutput()) {
    process.stdout.write(run.output.endsWith('\n') ? run.output : `${run.output}\n`);
  }
  if (run.error) {
    if (saved && run.steps.some((step) => step.output !== undefined))
      note(`run saved as ${id}; llmo chain runs show ${id} prints every output`);
    throw run.error;
  }
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

/** The {{vars.KEY}} keys the chain's prompts use. */
function usedVars(plan: ChainPlan): Set<string> {
  return new Set(
    plan.steps.flatMap((step) => variables(step.template).flatMap(({ variable }) => (variable.kind === 'var' ? [variable.key] : []))),
  );
}
