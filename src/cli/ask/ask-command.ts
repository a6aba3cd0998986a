import { Command, Option } from 'commander';

export interface AskOptions {
  model?: string;
  system?: string;
  persona?: string;
  role?: string;
  temperature?: string;
  maxTokens?: string;
  stream: boolean;
  json?: boolean;
  continue?: boolean;
  resume?: string;
  save: boolean;
  timeout?: string;
  budget: boolean;
  schema?: string;
  schemaMulti?: string;
  repair?: string;
  repairModel?: string;
  keepInvalid?: boolean;
}

export function makeAskCommand(): Command {
  return new Command('ask')
    .description('ask one question; piped stdin is added to the prompt')
    .argument('[prompt...]', 'the prompt (joined with spaces); stdin, when piped, is appended')
    .option('-m, --model <ref>', 'provider:model, an alias, or a provider name (default: main_llm)')
    .option('-s, --system <text>', 'system prompt')
    .option('--persona <name>', 'a persona from models.yaml system_prompts')
    .option('--role <name>', 'a role from models.yaml system_prompts')
    .option('--temperature <n>', 'sampling temperature')
    .option('--max-tokens <n>', 'maximum output tokens')
    .option('--no-stream', "wait for the whole reply (the vendor's non-streaming endpoint)")
    .option(
      '--json',
      'print one JSON object: provider, model, text, finish_reason, usage, cost_usd, duration_ms, conversation_id (and error, when the call failed)',
    )
    .option('-c, --continue', 'continue the latest conversation')
    .option('--resume <id>', 'continue the given conversation')
    .option('--no-save', 'do not save this exchange as a conversation')
    .option('--timeout <seconds>', 'give up when the provider sends nothing for this long')
    .addOption(new Option('--no-budget', 'ignore the configured budgets for this run'))
    .option(
      '--schema <schema>',
      'reply with JSON matching this schema: a file (.json, .yaml), inline JSON, a name from schemas: in config.yaml, or the concise form "title, year int, tags [str]"',
    )
    .option('--schema-multi <schema>', 'reply with a list of objects matching this schema, as { "items": [ … ] }')
    .option('--repair <n>', 'send a reply that does not match the schema back for correction up to n times (default 2; 0: never)')
    .option('--repair-model <ref>', 'the model that corrects an invalid reply (default: the same model)')
    .option('--keep-invalid', 'print the last reply on stdout even when it never matched the schema (still exit 7)')
    .action(async (prompt: string[], options: AskOptions) => {
      const { ask } = await import('./ask.js');
      await ask(prompt, options);
    });
}
