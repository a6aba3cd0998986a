import { Command, Option } from 'commander';

export interface ParallelOptions {
  model: string[];
  explain?: boolean;
  system?: string;
  persona?: string;
  role?: string;
  temperature?: string;
  maxTokens?: string;
  json?: boolean;
  quiet?: boolean;
  timeout?: string;
  budget: boolean;
  schema?: string;
  schemaMulti?: string;
  repair?: string;
  cache?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function makeParallelCommand(): Command {
  return new Command('parallel')
    .alias('compare')
    .description('send the same prompt to several models at once and show every answer')
    .argument('[prompt...]', 'the prompt (joined with spaces); stdin, when piped, is appended')
    .option(
      '-m, --model <ref>',
      'a model to ask (repeatable, or comma-separated): provider:model, an alias, a provider, or auto[:cheap|balanced|best|fast]',
      collect,
      [],
    )
    .option('--explain', 'with -m auto: print the ranked models and why the winner won (stderr)')
    .option('-s, --system <text>', 'system prompt')
    .option('--persona <name>', 'a persona from models.yaml system_prompts')
    .option('--role <name>', 'a role from models.yaml system_prompts')
    .option('--temperature <n>', 'sampling temperature')
    .option('--max-tokens <n>', 'maximum output tokens')
    .option('--json', 'print a JSON array: one object per model (text, usage, cost, timings, status, error)')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--timeout <seconds>', 'per-model timeout (default: parallel.timeout_seconds, else request.timeout_seconds)')
    .option('--cache', 'answer each model from the response cache when it has this request (cache.enabled in config)')
    .option('--no-cache', 'neither read nor write the response cache in this run')
    .addOption(new Option('--no-budget', 'ignore the configured budgets for this run'))
    .option('--schema <schema>', 'each model replies with JSON matching this schema (a file, inline JSON, a name, or "title, year int")')
    .option('--schema-multi <schema>', 'each model replies with a list of objects matching this schema, as { "items": [ … ] }')
    .option('--repair <n>', 'send a reply that does not match the schema back for correction up to n times (default 2; 0: never)')
    .action(async (prompt: string[], options: ParallelOptions) => {
      const { parallel } = await import('./parallel.js');
      await parallel(prompt, options);
    });
}
