import { Command } from 'commander';
import { addToolFlags, type ToolFlags } from '../tools/tool-flags.js';

export interface ChatOptions extends ToolFlags {
  model?: string;
  explain?: boolean;
  system?: string;
  persona?: string;
  role?: string;
  continue?: boolean;
  resume?: string;
  timeout?: string;
  budget?: boolean;
  fallback?: string[];
  cache?: boolean;
  template?: string;
  param?: string[];
  mode?: string;
  /** Filled by a template or mode only (chat has /set temperature). */
  temperature?: string;
  /** Read before the chat opens, sent with the first message (as /attach does). */
  attach: string[];
  fragment: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function makeChatCommand(): Command {
  const command = new Command('chat')
    .description('the interactive chat (Ink UI); every exchange is saved as a conversation')
    .option('-m, --model <ref>', 'provider:model, an alias, a provider name, or auto[:cheap|balanced|best|fast] (default: main_llm)')
    .option('--explain', 'with -m auto: print the ranked models and why the winner won before the chat starts')
    .option(
      '--fallback <ref>',
      'a model to try when the main one fails after its retries (repeatable; replaces main_llm.fallback)',
      collect,
      [],
    )
    .option('--cache', 'answer a request asked before from the response cache (cache.enabled in config)')
    .option('--no-cache', 'neither read nor write the response cache in this session')
    .option('-s, --system <text>', 'system prompt')
    .option('-t, --template <name>', "start from a saved template's system prompt, model, temperature and tools (llmo templates)")
    .option('-p, --param <name value>', 'a template variable: -p NAME VALUE fills {{NAME}} (repeatable)', collect, [])
    .option('--mode <name>', 'start in a mode: research, creative, technical, debug, or one of modes: in config.yaml (/mode switches)')
    .option('--persona <name>', 'a persona from models.yaml system_prompts')
    .option('--role <name>', 'a role from models.yaml system_prompts')
    .option(
      '-a, --attach <file>',
      'an image (png, jpeg, webp, gif) or a PDF, a path or an http(s) URL, sent with the first message (repeatable; /attach in the chat)',
      collect,
      [],
    )
    .option(
      '-f, --fragment <source>',
      'a text file, a folder, a glob or a URL as context for the first message (repeatable; @path in the chat)',
      collect,
      [],
    )
    .option('-c, --continue', 'continue the latest conversation')
    .option('--resume <id>', 'continue the given conversation')
    .option('--timeout <seconds>', 'give up when the provider sends nothing for this long')
    .option('--no-budget', 'ignore the configured budgets for this session')
    .addHelpText('after', '\nIn the chat, /help lists the commands (/model, /mode, /system, /load, /retry, /copy, /cost, /tools, …).');
  return addToolFlags(command).action(async (options: ChatOptions) => {
    const { chat } = await import('./chat.js');
    await chat(options);
  });
}
