/**
 * The ToolHost over MCP servers. Each server is connected on first use and kept for the life of
 * the host (a chat session keeps one process per server across turns). A server that dies is
 * reported with a ToolHostError naming it, and started again on the next listing or call.
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerDefinition } from '../config/tool-settings.js';
import { isLlmoError } from '../errors.js';
import { type HostedTool, type ToolCallOutcome, type ToolHost, ToolHostError } from '../orchestrator/tool-host.js';
import { connectServer, lastLine, requestOptions, type OpenConnection, type TransportKind } from './connect-server.js';
import { toolResultText } from './describe-content.js';
import { redactSecrets, type SecretResolver } from './secret-references.js';

export interface McpToolHostOptions {
  /**
   * Resolves `vault:NAME` in a server's env or headers, when the server starts. Without it, a
   * server that refers to the vault cannot start.
   */
  resolveSecret?: SecretResolver | undefined;
  /** The environment a stdio server's (scrubbed) environment is built from. Default: process.env. */
  env?: NodeJS.ProcessEnv | undefined;
  /** One line for the user (stderr): a server stopped on its own, or was started again. */
  onNotice?: ((message: string) => void) | undefined;
}

export interface McpServerStatus {
  name: string;
  state: 'idle' | 'running' | 'stopped';
  transport: TransportKind | undefined;
  /** The stdio server's process id while it runs. */
  pid: number | undefined;
  /** How many times this host started (or connected to) the server. */
  starts: number;
  /** `serverInfo` from the server's handshake. */
  serverName: string | undefined;
  serverVersion: string | undefined;
}

export interface McpToolHost extends ToolHost {
  /** Connects to one server (if not yet) and lists only its tools. */
  listServerTools(server: string, options?: { signal?: AbortSignal | undefined }): Promise<HostedTool[]>;
  /** What each server of this host is doing now (for `llmo mcp test`, status lines and tests). */
  servers(): McpServerStatus[];
}

/** A host over these servers (by name). Nothing starts until the first listing or call. */
export function createMcpToolHost(
  servers: ReadonlyMap<string, McpServerDefinition> | Readonly<Record<string, McpServerDefinition>>,
  options: McpToolHostOptions = {},
): McpToolHost {
  const entries = servers instanceof Map ? [...servers.entries()] : Object.entries(servers);
  return new Host(new Map(entries), options);
}

interface ServerSlot {
  name: string;
  definition: McpServerDefinition;
  connection: OpenConnection | undefined;
  connecting: Promise<OpenConnection> | undefined;
  tools: HostedTool[] | undefined;
  starts: number;
  /** Why the last connection ended on its own, until the server is started again. */
  died: string | undefined;
}

class Host implements McpToolHost {
  private readonly slots: Map<string, ServerSlot>;
  /** Every secret handed to a server: scrubbed from every message and result leaving the host. */
  private readonly secrets = new Set<string>();
  private closed = false;

  constructor(
    definitions: Map<string, McpServerDefinition>,
    private readonly options: McpToolHostOptions,
  ) {
    this.slots = new Map(
      [...definitions].map(([name, definition]) => [
        name,
        { name, definition, connection: undefined, connecting: undefined, tools: undefined, starts: 0, died: undefined },
      ]),
    );
  }

  async listTools(options: { signal?: AbortSignal | undefined } = {}): Promise<HostedTool[]> {
    const lists = await Promise.all([...this.slots.keys()].map((name) => this.listServerTools(name, options)));
    return lists.flat();
  }

  async listServerTools(server: string, options: { signal?: AbortSignal | undefined } = {}): Promise<HostedTool[]> {
    const slot = this.slot(server);
    const connection = await this.connection(slot, options.signal);
    if (slot.tools) return slot.tools;
    const tools: HostedTool[] = [];
    try {
      let cursor: string | undefined;
      do {
        const page = await connection.client.listTools(
          cursor === undefined ? {} : { cursor },
          requestOptions(slot.definition.timeoutSeconds, options.signal),
        );
        for (const tool of page.tools) {
          tools.push({ name: `${server}.${tool.name}`, server, description: tool.description, inputSchema: tool.inputSchema });
        }
        cursor = page.nextCursor;
      } while (cursor);
    } catch (error) {
      throw this.failure(slot, connection, error, 'listing its tools');
    }
    if (slot.connection === connection) slot.tools = tools;
    return tools;
  }

  async callTool(
    name: string,
    args: Record<string, unknown>,
    options: { signal?: AbortSignal | undefined } = {},
  ): Promise<ToolCallOutcome> {
    const started = performance.now();
    const outcome = (content: string, isError: boolean): ToolCallOutcome => ({
      content: this.redact(content),
      isError,
      durationMs: Math.round(performance.now() - started),
    });
    const dot = name.indexOf('.');
    const slot = dot > 0 ? this.slots.get(name.slice(0, dot)) : undefined;
    if (!slot) return outcome(`unknown tool "${name}": tools are named server.tool, and the servers are ${this.names()}`, true);
    const tool = name.slice(dot + 1);
    const connection = await this.connection(slot, options.signal);
    try {
      const result = await connection.client.callTool(
        { name: tool, arguments: args },
        undefined,
        requestOptions(slot.definition.timeoutSeconds, options.signal),
      );
      return outcome(toolResultText(result), result.isError === true);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      // The server answered, but not with a result (unknown tool, arguments it refused, a slow
      // tool): something the model can read and correct. A broken connection is not.
      if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
        return outcome(`${name} timed out after ${slot.definition.timeoutSeconds} s`, true);
      }
      if (error instanceof McpError && error.code !== ErrorCode.ConnectionClosed) return outcome(`${name}: ${errorText(error)}`, true);
      throw this.failure(slot, connection, error, `calling ${name}`);
    }
  }

  servers(): McpServerStatus[] {
    return [...this.slots.values()].map((slot) => {
      const version = slot.connection?.client.getServerVersion();
      return {
        name: slot.name,
        state: slot.connection ? 'running' : slot.starts > 0 ? 'stopped' : 'idle',
        transport: slot.connection?.transport,
        pid: slot.connection?.pid,
        starts: slot.starts,
        serverName: version?.name,
        serverVersion: version?.version,
      };
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      [...this.slots.values()].map(async (slot) => {
        const connection = slot.connection ?? (await slot.connecting?.catch(() => undefined));
        slot.connection = undefined;
        await connection?.close().catch(() => {});
      }),
    );
  }

  private slot(server: string): ServerSlot {
    const slot = this.slots.get(server);
    if (!slot) throw new ToolHostError(server, `unknown MCP server "${server}"; this run has ${this.names()}`);
    return slot;
  }

  private names(): string {
    return this.slots.size === 0 ? 'none' : [...this.slots.keys()].join(', ');
  }

  /** The open connection, started (again) if there is none. Concurrent callers share one start. */
  private async connection(slot: ServerSlot, signal: AbortSignal | undefined): Promise<OpenConnection> {
    if (this.closed) throw new ToolHostError(slot.name, `MCP server "${slot.name}": the tool host was closed`);
    if (slot.connection) return slot.connection;
    if (!slot.connecting) {
      if (slot.died !== undefined) this.options.onNotice?.(`MCP server "${slot.name}" had stopped (${slot.died}); starting it again`);
      slot.starts += 1;
      slot.connecting = this.start(slot, signal).finally(() => {
        slot.connecting = undefined;
      });
    }
    return slot.connecting;
  }

  private async start(slot: ServerSlot, signal: AbortSignal | undefined): Promise<OpenConnection> {
    let connection: OpenConnection | undefined;
    try {
      connection = await connectServer(slot.definition, {
        resolveSecret: this.options.resolveSecret ?? noVault(slot.name),
        env: this.options.env ?? process.env,
        secrets: this.secrets,
        signal,
        onClosed: () => {
          if (slot.connection !== connection || connection === undefined) return;
          slot.connection = undefined;
          slot.tools = undefined;
          slot.died = describeDeath(slot, connection, (text) => this.redact(text));
          this.options.onNotice?.(`MCP server "${slot.name}" stopped (${slot.died})`);
        },
        onToolsChanged: () => {
          slot.tools = undefined;
        },
      });
    } catch (error) {
      // The vault's own errors (locked, no such secret) and an interruption speak for themselves.
      if (isLlmoError(error) || signal?.aborted) throw error;
      throw new ToolHostError(slot.name, `MCP server "${slot.name}" could not be started: ${this.redact(errorText(error)).slice(0, 500)}`, {
        hint: startHint(slot.definition),
      });
    }
    slot.connection = connection;
    slot.tools = undefined;
    slot.died = undefined;
    return connection;
  }

  /** A broken connection: forget it (the next use starts the server again) and say what happened. */
  private failure(slot: ServerSlot, connection: OpenConnection, error: unknown, doing: string): ToolHostError {
    if (slot.connection === connection) {
      slot.connection = undefined;
      slot.tools = undefined;
      slot.died ??= describeDeath(slot, connection, (text) => this.redact(text));
      void connection.close().catch(() => {});
    }
    const reason = slot.died ?? this.redact(errorText(error));
    slot.died = undefined;
    return new ToolHostError(slot.name, `MCP server "${slot.name}" failed while ${doing}: ${reason}`, {
      hint: 'it will be started again on the next call; `llmo mcp test` shows whether it starts',
    });
  }

  private redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^MCP error -?\d+: /, '').split('\n')[0] ?? '';
}

function describeDeath(slot: ServerSlot, connection: OpenConnection, redact: (text: string) => string): string {
  const said = lastLine(connection.stderrTail());
  const what = slot.definition.transport === 'stdio' ? 'the server process exited' : 'the connection closed';
  return said ? `${what}; its stderr ended with: ${redact(said).slice(0, 300)}` : what;
}

function startHint(definition: McpServerDefinition): string {
  return definition.transport === 'stdio'
    ? `check that \`${definition.command}\` runs on its own, and its args in mcp.servers`
    : `check that ${definition.url} is up and speaks MCP`;
}

function noVault(server: string): SecretResolver {
  return async (name) => {
    throw new ToolHostError(server, `MCP server "${server}" refers to vault:${name}, but no vault is available here`);
  };
}
