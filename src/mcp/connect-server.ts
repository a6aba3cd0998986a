/**
 * Opens one MCP connection: spawns a stdio server, or reaches an HTTP one over streamable HTTP,
 * falling back to the older SSE transport when the server refuses it (an HTTP 4xx). Secrets are
 * swapped in here, at the moment of use, into the environment or the headers only.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { HttpServerDefinition, McpServerDefinition, StdioServerDefinition } from '../config/tool-settings.js';
import { resolveSecretReferences, type SecretResolver } from './secret-references.js';
import { serverEnvironment } from './server-environment.js';

declare const LLMO_VERSION: string | undefined;

export type TransportKind = 'stdio' | 'streamable-http' | 'sse';

export interface ConnectOptions {
  resolveSecret: SecretResolver;
  /** The parent environment a stdio server's environment is built from. */
  env: NodeJS.ProcessEnv;
  /** Secrets handed out are added here, so the host can scrub them from what it reports. */
  secrets: Set<string>;
  /** Called once when the connection ends without `close()` (the process died, the stream broke). */
  onClosed: () => void;
  /** The tool list changed on the server: forget any cached listing. */
  onToolsChanged: () => void;
  signal?: AbortSignal | undefined;
}

export interface OpenConnection {
  client: Client;
  transport: TransportKind;
  /** The stdio server's process id. */
  pid: number | undefined;
  /** The end of the server's stderr (stdio), for saying why it died. */
  stderrTail(): string;
  close(): Promise<void>;
}

const STDERR_TAIL_CHARS = 8000;

/** The last non-empty line of a server's stderr (whole: shortened only once secrets are scrubbed). */
export function lastLine(text: string): string | undefined {
  return text.trim().split('\n').pop()?.trim() || undefined;
}

export async function connectServer(definition: McpServerDefinition, options: ConnectOptions): Promise<OpenConnection> {
  return definition.transport === 'stdio' ? connectStdio(definition, options) : connectHttp(definition, options);
}

function newClient(options: ConnectOptions): Client {
  return new Client(
    { name: 'llmo', version: typeof LLMO_VERSION === 'string' ? LLMO_VERSION : '0.0.0-dev' },
    { listChanged: { tools: { autoRefresh: false, onChanged: () => options.onToolsChanged() } } },
  );
}

function requestOptions(timeoutSeconds: number, signal: AbortSignal | undefined) {
  return { timeout: timeoutSeconds * 1000, ...(signal ? { signal } : {}) };
}

async function connectStdio(definition: StdioServerDefinition, options: ConnectOptions): Promise<OpenConnection> {
  const added = await resolveSecretReferences(definition.env, options.resolveSecret, options.secrets);
  const transport = new StdioClientTransport({
    command: definition.command,
    args: definition.args,
    env: serverEnvironment(options.env, added),
    ...(definition.cwd === undefined ? {} : { cwd: definition.cwd }),
    // Piped, never inherited: a server's chatter must not mix with llmo's output, and it is
    // what we quote when the server dies.
    stderr: 'pipe',
  });
  let tail = '';
  transport.stderr?.on('data', (chunk: Buffer | string) => {
    tail = (tail + chunk.toString()).slice(-STDERR_TAIL_CHARS);
  });
  const client = newClient(options);
  try {
    const close = await open(client, transport, definition.timeoutSeconds, options);
    return { client, transport: 'stdio', pid: transport.pid ?? undefined, stderrTail: () => tail, close };
  } catch (error) {
    const said = lastLine(tail);
    if (said === undefined || !(error instanceof Error)) throw error;
    // Why a server would not start is nearly always in its own last words.
    throw new Error(`${error.message}; its stderr ended with: ${said}`);
  }
}

async function connectHttp(definition: HttpServerDefinition, options: ConnectOptions): Promise<OpenConnection> {
  const headers = await resolveSecretReferences(definition.headers, options.resolveSecret, options.secrets);
  const url = new URL(definition.url);
  const streamable = newClient(options);
  try {
    const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers } });
    const close = await open(streamable, transport, definition.timeoutSeconds, options);
    return { client: streamable, transport: 'streamable-http', pid: undefined, stderrTail: () => '', close };
  } catch (error) {
    // Only a server that answered "not here" (404, 405…) may speak the older protocol; a
    // network failure or a 401 is the same over SSE, and retrying would only hide it.
    const refused = error instanceof StreamableHTTPError && error.code !== undefined && [400, 404, 405].includes(error.code);
    await streamable.close().catch(() => {});
    if (!refused) throw error;
  }
  const { SSEClientTransport } = await import('@modelcontextprotocol/sdk/client/sse.js');
  const sse = newClient(options);
  const close = await open(sse, new SSEClientTransport(url, { requestInit: { headers } }), definition.timeoutSeconds, options);
  return { client: sse, transport: 'sse', pid: undefined, stderrTail: () => '', close };
}

/** Connects, and reports a close nobody asked for. Returns the close that is expected. */
async function open(client: Client, transport: Transport, timeoutSeconds: number, options: ConnectOptions): Promise<() => Promise<void>> {
  let closing = false;
  try {
    await client.connect(transport, requestOptions(timeoutSeconds, options.signal));
  } catch (error) {
    await client.close().catch(() => {});
    throw error;
  }
  client.onclose = () => {
    if (!closing) options.onClosed();
  };
  return async () => {
    closing = true;
    await client.close();
  };
}

export { requestOptions };
