import { Command, Option } from 'commander';

export interface ChainRunOptions {
  var: string[];
  /** For steps with `tools:` (a chain cannot ask on the terminal: its progress board owns stderr). */
  approve?: string[];
  yes?: boolean;
  maxSteps?: string;
  json?: boolean;
  quiet?: boolean;
  dryRun?: boolean;
  timeout?: string;
  budget: boolean;
  repair?: string;
  cache?: boolean;
}

export interface ChainResumeOptions extends Omit<ChainRunOptions, 'var' | 'dryRun'> {
  force?: boolean;
}

export interface ChainListOptions {
  json?: boolean;
}

export interface ChainNewOptions {
  from?: string;
  describe?: string;
  model?: string;
  repair?: string;
  yes?: boolean;
  force?: boolean;
  output?: string;
  quiet?: boolean;
}

export interface ChainRunsOptions {
  json?: boolean;
  limit?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function makeChainCommand(): Command {
  const chain = new Command('chain').description('run chains of models: steps in order, parallel stages at once (see docs/chains.md)');

  chain
    .command('run')
    .description('run a chain: a name from config, a YAML file, or an inline chain like "summarize(gemini) -> critique(sonnet)"')
    .argument('<chain>', 'NAME | FILE | INLINE')
    .argument('[input...]', 'the input ({{input}}; joined with spaces); stdin, when piped, is appended')
    .option('--var <key=value>', 'set {{vars.KEY}} (repeatable)', collect, [])
    .option('--json', 'print the whole run as JSON: every step with its model, output(s), usage, cost, duration, status')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--dry-run', 'print the resolved plan (models, system prompts, rendered prompts) and call nothing')
    .option('--timeout <seconds>', 'give up when the provider sends nothing for this long')
    .option('--repair <n>', "send a reply that does not match its step's schema: back for correction up to n times (default 2; 0: never)")
    .option('--cache', "answer every step from the response cache when it can (a step's cache: false still opts out)")
    .option('--no-cache', 'neither read nor write the response cache in this run, whatever the steps say')
    .addOption(new Option('--no-budget', "ignore the configured budgets and the chain's budget_usd for this run"))
    .option('--approve <pattern>', 'steps with tools: run tools matching this pattern without asking (repeatable)', collect, [])
    .option('-y, --yes', 'steps with tools: run every tool the policy does not deny')
    .option('--max-steps <n>', 'steps with tools: the step limit where a step sets no max_steps (default: tools.max_steps)')
    .action(async (target: string, input: string[], options: ChainRunOptions) => {
      const { chainRun } = await import('./chain.js');
      await chainRun(target, input, options);
    });

  chain
    .command('resume')
    .description('continue a failed, interrupted or killed chain run from its first unfinished step, reusing the saved outputs')
    .argument('<id>', 'a run id (or an unambiguous prefix of one), from llmo chain runs')
    .option('--force', 'resume even when the chain changed since the run started')
    .option('--json', 'print the whole run as JSON, the reused steps included')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--timeout <seconds>', 'give up when the provider sends nothing for this long')
    .option('--repair <n>', "send a reply that does not match its step's schema: back for correction up to n times (default 2; 0: never)")
    .option('--cache', "answer every step from the response cache when it can (a step's cache: false still opts out)")
    .option('--no-cache', 'neither read nor write the response cache, whatever the steps say')
    .addOption(new Option('--no-budget', "ignore the configured budgets and the chain's budget_usd"))
    .option('--approve <pattern>', 'steps with tools: run tools matching this pattern without asking (repeatable)', collect, [])
    .option('-y, --yes', 'steps with tools: run every tool the policy does not deny')
    .option('--max-steps <n>', 'steps with tools: the step limit where a step sets no max_steps (default: tools.max_steps)')
    .action(async (id: string, options: ChainResumeOptions) => {
      const { chainResume } = await import('./chain-resume.js');
      await chainResume(id, options);
    });

  chain
    .command('list')
    .description('list the chains in config (shipped, user and project) and in the chains directory')
    .option('--json', 'print them as JSON')
    .action(async (options: ChainListOptions) => {
      const { chainList } = await import('./chain-list.js');
      await chainList(options);
    });

  chain
    .command('show')
    .description("show a chain's steps, models, roles and prompt templates")
    .argument('<chain>', 'NAME | FILE | INLINE')
    .option('--json', 'print it as JSON')
    .action(async (target: string, options: ChainListOptions) => {
      const { chainShow } = await import('./chain-list.js');
      await chainShow(target, options);
    });

  chain
    .command('lint')
    .description('check a chain as `chain run` would before its first call, plus the chain schema; needs no key')
    .argument('<chain>', 'NAME | FILE | INLINE')
    .action(async (target: string) => {
      const { chainLint } = await import('./chain-lint.js');
      await chainLint(target);
    });

  chain
    .command('templates')
    .description('list the chain templates `chain new --from` copies')
    .option('--json', 'print them as JSON')
    .action(async (options: ChainListOptions) => {
      const { chainTemplates } = await import('./chain-templates.js');
      await chainTemplates(options);
    });

  chain
    .command('schema')
    .description('print config/chain.schema.json, the JSON Schema of chain files (for editors: docs/chains.md)')
    .option('--path', 'print where the installed file is instead')
    .action(async (options: { path?: boolean }) => {
      const { chainSchemaFile, readChainSchema } = await import('../../structured/chain-schema.js');
      process.stdout.write(options.path ? `${chainSchemaFile()}\n` : readChainSchema());
    });

  chain
    .command('new')
    .description('write a chain file to edit: from a template, or from a description a model turns into YAML')
    .argument('<name>', "the chain's name: the file is <config dir>/chains/NAME.yaml, run with llmo chain run NAME")
    .option('--from <template>', 'copy this template (llmo chain templates)')
    .option('--describe <text>', 'ask a model to write the chain from this description; it is linted and repaired')
    .option('-m, --model <ref>', '--describe: the model that writes it (default: main_llm)')
    .option('--repair <n>', '--describe: send lint errors back for correction up to n times (default 2)')
    .option('-y, --yes', '--describe: save without asking')
    .option('-o, --output <path>', 'write here instead of the chains directory')
    .option('--force', 'replace an existing file')
    .option('-q, --quiet', 'no notes on stderr')
    .action(async (name: string, options: ChainNewOptions) => {
      const { chainNew } = await import('./chain-new.js');
      await chainNew(name, options);
    });

  const runs = new Command('runs')
    .description('list saved chain and parallel runs, newest first')
    .option('--json', 'print them as JSON')
    .option('-n, --limit <n>', 'how many to list (default 20)')
    .action(async (options: ChainRunsOptions) => {
      const { chainRunsList } = await import('./chain-runs.js');
      await chainRunsList(options);
    });
  runs
    .command('show')
    .description('print one saved run: its input, each step and its output(s)')
    .argument('<id>', 'a run id (or an unambiguous prefix of one)')
    .option('--json', 'print the saved JSON')
    .action(async (id: string, options: ChainListOptions) => {
      const { chainRunsShow } = await import('./chain-runs.js');
      await chainRunsShow(id, options);
    });
  chain.addCommand(runs);
  return chain;
}
