/**
 * The composition root's door to tools: the MCP host for the servers a run asked for, with the
 * vault resolver and the trust check applied. The MCP module (and its SDK) is imported here,
 * lazily, so a run without tools never loads it.
 */
import type { LlmoConfig } from '../../config/load.js';
import type { McpServerDefinition, McpServerEntry } from '../../config/tool-settings.js';
import { UsageError } from '../../errors.js';
import type { McpToolHost } from '../../mcp/index.js';
import { closeMatches } from '../../config/closest-match.js';
import { note } from '../output.js';
import { assertTrusted } from './approvals.js';
import { vaultSecretResolver } from './vault-secrets.js';

export interface OpenToolHostOptions {
  /** The servers to use, by name (default: every configured server). */
  servers?: readonly string[] | undefined;
  /** May the vault prompt for its password? (default: stdin is a terminal) */
  interactive?: boolean | undefined;
  /** Where notices go (a server stopped, was restarted). Default: a note on stderr. */
  onNotice?: ((message: string) => void) | undefined;
}

/** The configured servers with these names; a name that is not configured is a usage error. */
export function selectServers(config: LlmoConfig, names: readonly string[] | undefined): McpServerEntry[] {
  const configured = config.settings.mcp.servers;
  if (names === undefined) return [...configured.values()];
  return names.map((name) => {
    const entry = configured.get(name);
    if (entry) return entry;
    const suggestions = closeMatches(name, [...configured.keys()]);
    throw new UsageError(`no MCP server named "${name}"${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}`, {
      hint: configured.size
        ? `configured servers: ${[...configured.keys()].join(', ')}`
        : 'declare servers under mcp.servers in config.yaml (see `llmo config path`)',
    });
  });
}

/**
 * A host over the chosen servers. Nothing starts yet: each server starts on first use and runs
 * until `close()`. A project server that is not approved (or changed) stops here, before it runs.
 */
export async function openToolHost(config: LlmoConfig, options: OpenToolHostOptions = {}): Promise<McpToolHost> {
  const entries = selectServers(config, options.servers);
  for (const entry of entries) assertTrusted(config, entry);
  const { createMcpToolHost } = await import('../../mcp/index.js');
  const definitions = new Map<string, McpServerDefinition>(entries.map((entry) => [entry.name, entry.definition]));
  return createMcpToolHost(definitions, {
    env: config.env,
    resolveSecret: vaultSecretResolver(config, { interactive: options.interactive ?? Boolean(process.stdin.isTTY) }),
    onNotice: options.onNotice ?? note,
  });
}
