/**
 * What the tool loop sees of tools: a host that lists them and calls them. `src/mcp/` implements it
 * over MCP servers; tests can implement it with plain functions. The orchestrator never imports the
 * MCP SDK.
 */
import { ExitCode, LlmoError, type LlmoErrorOptions } from '../errors.js';
import type { JsonSchema } from '../providers/spec.js';

export interface HostedTool {
  /** `server.tool`: the name people write in policies, `--tools` patterns and logs. */
  name: string;
  /** The server it belongs to (`fs`). */
  server: string;
  description: string | undefined;
  inputSchema: JsonSchema;
}

export interface ToolCallOutcome {
  /** What the model reads: the tool's text content joined (non-text content described briefly). */
  content: string;
  isError: boolean;
  durationMs: number;
}

export interface ToolHost {
  /** Every tool of the servers this host was opened with (connections opened once, on first use). */
  listTools(options?: { signal?: AbortSignal | undefined }): Promise<HostedTool[]>;
  /**
   * Calls one tool. A tool's own failure is an outcome with `isError: true` (the model can read it);
   * a server that cannot be reached or has died throws a ToolHostError naming the server.
   */
  callTool(name: string, args: Record<string, unknown>, options?: { signal?: AbortSignal | undefined }): Promise<ToolCallOutcome>;
  /** Ends every connection and server process this host started. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * A tool server could not be started or reached, or died (exit 5, like a provider that fails:
 * an outside service llmo depends on). The message names the server and never holds a secret.
 */
export class ToolHostError extends LlmoError {
  override readonly exitCode = ExitCode.provider;
  readonly server: string;

  constructor(server: string, message: string, options: LlmoErrorOptions = {}) {
    super(message, options);
    this.server = server;
  }
}
