/**
 * The MCP client's public face, for the composition root (src/cli). Loaded only when tools are
 * in play: it is the only importer of @modelcontextprotocol/sdk, and lands in its own chunk.
 */
export { createMcpToolHost, type McpServerStatus, type McpToolHost, type McpToolHostOptions } from './mcp-tool-host.js';
export type { TransportKind } from './connect-server.js';
export { secretNames, type SecretResolver } from './secret-references.js';
export { isCredentialVariable, serverEnvironment } from './server-environment.js';
