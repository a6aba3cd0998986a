/** `llmo mcp list | tools | call | approve | test`: look at, try and trust the configured servers. */
import type { LlmoConfig } from '../../config/load.js';
import type { McpServerEntry } from '../../config/tool-settings.js';
import { ConfigError, PartialFailureError, UsageError, errorMessage } from '../../errors.js';
import { ToolHostError } from '../../orchestrator/tool-host.js';
import { getConfig } from '../context.js';
import { note } from '../output.js';
import { approve, isProjectServer, trustOf, type Trust } from './approvals.js';
import { openToolHost, selectServers } from './open-tool-host.js';

const TRUST_LABEL: Record<Trust, string> = {
  user: '',
  approved: 'project, approved',
  'not-approved': 'project, NOT APPROVED (llmo mcp approve NAME)',
  changed: 'project, CHANGED since approved (llmo mcp approve NAME)',
};

/** One line per server: name, how it is reached, where it is defined. Nothing is started. */
export function mcpList(options: { json?: boolean }): void {
  const config = getConfig();
  const entries = selectServers(config, undefined);
  if (options.json) {
    const servers = entries.map((entry) => ({
      name: entry.name,
      ...publicDefinition(entry),
      file: entry.file,
      trust: trustOf(config, entry),
    }));
    process.stdout.write(`${JSON.stringify(servers, null, 2)}\n`);
    return;
  }
  if (entries.length === 0) {
    note('no MCP servers configured; declare them under mcp.servers in config.yaml');
    return;
  }
  for (const entry of entries) {
    const trust = TRUST_LABEL[trustOf(config, entry)];
    process.stdout.write(`${entry.name}\t${describe(entry)}\t${entry.file}${trust ? `\t${trust}` : ''}\n`);
  }
}

export async function mcpTools(name: string, options: { json?: boolean }): Promise<void> {
  const config = getConfig();
  const host = await openToolHost(config, { servers: [name] });
  try {
    const tools = await host.listServerTools(name);
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify(
          tools.map(({ name, description, inputSchema }) => ({ name, description, input_schema: inputSchema })),
          null,
          2,
        )}\n`,
      );
      return;
    }
    for (const tool of tools) process.stdout.write(`${tool.name}\t${firstLine(tool.description)}\n`);
  } finally {
    await host.close();
  }
}

export async function mcpCall(name: string, tool: string, options: { args?: string }): Promise<void> {
  const args = parseArguments(options.args);
  const config = getConfig();
  const host = await openToolHost(config, { servers: [name] });
  try {
    const outcome = await host.callTool(`${name}.${tool}`, args);
    process.stdout.write(outcome.content.endsWith('\n') || outcome.content === '' ? outcome.content : `${outcome.content}\n`);
    if (outcome.isError) throw new ToolHostError(name, `${name}.${tool} reported an error (above)`);
  } finally {
    await host.close();
  }
}

export async function mcpApprove(name: string): Promise<void> {
  const config = getConfig();
  const [entry] = selectServers(config, [name]);
  if (!entry) return;
  if (!isProjectServer(config, entry)) {
    note(`"${name}" is defined in your own ${entry.file}; it needs no approval`);
    return;
  }
  await approve(config, entry);
  process.stdout.write(`approved "${name}" of ${entry.file}: ${describe(entry)}\n`);
}

/** Starts each server (or the one named), lists its tools and says how it went. */
export async function mcpTest(name: string | undefined): Promise<void> {
  const config = getConfig();
  const entries = selectServers(config, name === undefined ? undefined : [name]);
  if (entries.length === 0)
    throw new ConfigError('no MCP servers configured to test', { hint: 'declare them under mcp.servers in config.yaml' });
  const failures: Error[] = [];
  for (const entry of entries) {
    const started = performance.now();
    try {
      await testOne(config, entry, started);
    } catch (error) {
      failures.push(error as Error);
      process.stdout.write(`✗ ${entry.name}\t${errorMessage(error)}\n`);
    }
  }
  if (failures.length === 0) return;
  if (failures.length === entries.length && failures.length === 1) throw failures[0];
  throw new PartialFailureError(`${failures.length} of ${entries.length} MCP servers failed the test`);
}

async function testOne(config: LlmoConfig, entry: McpServerEntry, started: number): Promise<void> {
  const host = await openToolHost(config, { servers: [entry.name] });
  try {
    const tools = await host.listServerTools(entry.name);
    const status = host.servers()[0];
    const server = [status?.serverName, status?.serverVersion].filter(Boolean).join(' ');
    const milliseconds = Math.round(performance.now() - started);
    process.stdout.write(
      `✓ ${entry.name}\t${status?.transport}\t${server || 'unnamed server'}\t${tools.length} tools\t${milliseconds} ms\n`,
    );
  } finally {
    await host.close();
  }
}

/** What a definition says, without secrets: `vault:` references stay references, as written. */
function publicDefinition(entry: McpServerEntry) {
  const definition = entry.definition;
  if (definition.transport === 'stdio') {
    const { transport, command, args, env, cwd, timeoutSeconds } = definition;
    return { transport, command, args, env, cwd, timeout_seconds: timeoutSeconds };
  }
  const { transport, url, headers, timeoutSeconds } = definition;
  return { transport, url, headers, timeout_seconds: timeoutSeconds };
}

function describe(entry: McpServerEntry): string {
  const definition = entry.definition;
  if (definition.transport === 'http') {
    const headers = Object.keys(definition.headers);
    return `${definition.url}${headers.length ? ` (headers: ${headers.join(', ')})` : ''}`;
  }
  const env = Object.entries(definition.env).map(([key, value]) => `${key}=${value}`);
  return [definition.command, ...definition.args.map(quote)].join(' ') + (env.length ? ` (env: ${env.join(' ')})` : '');
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0] ?? '';
}

function parseArguments(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--args is not valid JSON: ${errorMessage(error)}`, {
      hint: `give an object, e.g. --args '{"path":"README.md"}'`,
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError('--args must be a JSON object', { hint: `e.g. --args '{"path":"README.md"}'` });
  }
  return parsed as Record<string, unknown>;
}
