/**
 * What a run needs for its tool loop, from the flags and config: the MCP host for the servers the
 * selection names (started on first use, closed by the caller), the selected tools, the policy,
 * who can be asked, and the limits. Undefined when the run uses no tools.
 */
import type { LlmoConfig } from '../../config/load.js';
import type { ConfirmToolCall, ToolLoopOptions } from '../../orchestrator/run-tool-loop.js';
import type { ToolHost } from '../../orchestrator/tool-host.js';
import { parseToolSelectors, selectTools, serversOf } from '../../orchestrator/tool-patterns.js';
import { ToolPolicy } from '../../orchestrator/tool-policy.js';
import { openToolHost } from '../mcp/open-tool-host.js';
import { parseNumberFlag } from '../parse-number.js';
import type { ToolFlags } from './tool-flags.js';

export type RunTools = Pick<ToolLoopOptions, 'host' | 'tools' | 'policy' | 'confirm' | 'maxSteps' | 'maxResultChars'> & {
  host: ToolHost;
};

export interface OpenRunToolsOptions {
  /** Selectors a chain's steps name, used when the flags name none. */
  selectors?: readonly string[];
  /** Who asks before an `ask`-policy tool runs; undefined: no one, so only `allow` tools run. */
  confirm?: ConfirmToolCall | undefined;
}

/** The step limit and policy, from flags over config; checked before anything starts. */
export function toolLimits(config: LlmoConfig, flags: ToolFlags): { maxSteps: number; policy: ToolPolicy } {
  const maxSteps = parseNumberFlag('--max-steps', flags.maxSteps, { min: 1, integer: true }) ?? config.settings.tools.maxSteps;
  const policy = new ToolPolicy(config.settings.tools.policy, { approve: flags.approve ?? [], yes: flags.yes ?? false });
  return { maxSteps, policy };
}

export async function openRunTools(config: LlmoConfig, flags: ToolFlags, options: OpenRunToolsOptions = {}): Promise<RunTools | undefined> {
  if (flags.tools === false) return undefined;
  const selectors = flags.tools ? parseToolSelectors(flags.tools) : [...(options.selectors ?? [])];
  if (selectors.length === 0) return undefined;
  const { maxSteps, policy } = toolLimits(config, flags);
  const host = await openToolHost(config, { servers: serversOf(selectors, [...config.settings.mcp.servers.keys()]) });
  try {
    const tools = selectTools(await host.listTools(), selectors);
    return {
      host,
      tools,
      policy,
      confirm: options.confirm,
      maxSteps,
      maxResultChars: config.settings.tools.maxResultChars,
    };
  } catch (error) {
    await host.close();
    throw error;
  }
}
