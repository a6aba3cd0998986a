/**
 * The tool flags ask, chain run and chat share: which tools (`--tools`, `--no-tools`), how many
 * steps (`--max-steps`), and what may run without asking (`--approve`, `--yes`).
 */
import { Option, type Command } from 'commander';

export interface ToolFlags {
  /** `--tools fs,gh --tools 'web.*'` (collected), or false for `--no-tools`. */
  tools?: string[] | false;
  maxSteps?: string;
  approve?: string[];
  yes?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function addToolFlags(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--tools <servers-or-patterns>',
        "let the model call tools: MCP server names or server.tool patterns ('fs.read_*'), comma-separated",
      ).argParser(collect),
    )
    .addOption(new Option('--no-tools', 'offer the model no tools'))
    .addOption(new Option('--max-steps <n>', 'stop after this many model calls in one tool loop (default: tools.max_steps, 10)'))
    .addOption(new Option('--approve <pattern>', 'run tools matching this pattern without asking (repeatable)').argParser(collect))
    .addOption(new Option('-y, --yes', 'run every tool the policy does not deny without asking'));
}
