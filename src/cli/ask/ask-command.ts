import { Command, Option } from 'commander';
import { addToolFlags, type ToolFlags } from '../tools/tool-flags.js';

export interface AskOptions extends ToolFlags {
  model?: string;
  system?: string;
  persona?: string;
  role?: string;
  temperature?: string;
  maxTokens?: string;
  stream: boolean;
  json?: boolean;
  raw?: boolean;
  streamJson?: boolean;
  continue?: boolean;
  resume?: string;
  save: boolean;
  timeout?: string;
  budget: boolean;
  fallback: string[];
  cache?: boolean;
  schema?: string;
  schemaMulti?: string;
  repair?: string;
  repairModel?: string;
  keepInvalid?: boolean;
  attach: string[];
  fragment: string[];
  extract?: boolean;
  extractLast?: boolean;
  explain?: boolean;
  template?: string;
  param?: string[];
  mode?: string;
}

export function makeAskCommand(): Command {
  const command = new Command('ask')
    .description('ask one question; piped stdin is added to the prompt')
    .argument('[prompt...]', 'the prompt (joined with spaces); stdin, when piped, is appended')
    .option(
      '-m, --model <ref>',
      'provider:model, an alias, a provider name, or auto[:cheap|balanced|best|fast] to let llmo choose (default: main_llm)',
    )
    .option('--explain', 'with -m auto: print the ranked models and why the winner won (stderr)')
    .option(
      '--fallback <ref>',
      'a model to try when the main one fails after its retries (repeatable; replaces main_llm.fallback)',
      collect,
      [],
    )
    .option('--cache', 'answer a request asked before from the response cache, and keep this answer there (cache.enabled in config)')
    .option('--no-cache', 'neither read nor write the response cache for this run')
    .option(
      '-a, --attach <file>',
      'attach an image (png, jpeg, webp, gif) or a PDF: a path, an http(s) URL, or - for stdin (repeatable)',
      collect,
      [] as string[],
    )
    .option(
      '-f, --fragment <source>',
      'add context ahead of the prompt: a text file, a folder (its .gitignore respected, binaries skipped), a glob, or an http(s) URL (repeatable)',
      collect,
      [] as string[],
    )
    .option('-s, --system <text>', 'system prompt')
    .option(
      '-t, --template <name>',
      'start from a saved template: its system prompt, prompt, model, temperature, schema and tools (llmo templates)',
    )
    .option('-p, --param <name value>', 'a template variable: -p NAME VALUE fills {{NAME}} (repeatable)', collect, [] as string[])
    .option('--mode <name>', 'a preset: research, creative, technical, debug, or one of modes: in config.yaml')
    .option('--persona <name>', 'a persona from models.yaml system_prompts')
    .option('--role <name>', 'a role from models.yaml system_prompts')
    .option('--temperature <n>', 'sampling temperature')
    .option('--max-tokens <n>', 'maximum output tokens')
    .option('--no-stream', "wait for the whole reply (the vendor's non-streaming endpoint)")
    .option(
      '--json',
      'print one JSON object: provider, model, text, finish_reason, usage, cost_usd, duration_ms, conversation_id (and cached: true for an answer from the response cache; error, when the call failed; steps and tool_calls with --tools)',
    )
    .option(
      '--stream-json',
      'print one JSON object a line as the run goes: text, reasoning, tool_call, tool_result, warning, then result (the --json object)',
    )
    .option('-x, --extract', 'print only the first fenced code block of the answer (streamed answers are printed at the end)')
    .option('--extract-last', 'print only the last fenced code block of the answer')
    .option('--raw', 'print the reply as the model sent it, without rendering markdown (always so when stdout is not a terminal)')
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
    .option('--keep-invalid', 'print the last reply on stdout even when it never matched the schema (still exit 7)');
  return addToolFlags(command).action(async (prompt: string[], options: AskOptions) => {
    const { ask } = await import('./ask.js');
    await ask(prompt, options);
  });
}

/** Repeatable flags gather their values in order. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
