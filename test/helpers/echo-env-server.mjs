#!/usr/bin/env node
// A tiny stdio MCP server built on the SDK's server API, for checking what reaches a server's
// environment without ever printing a secret: it answers with a variable's SHA-256, or with the
// names (not values) of its variables. `crash` says a variable on stderr and dies, to prove
// llmo's error messages scrub what a dying server says.
import { createHash } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'echo-env', version: '1.0.0' });
server.registerTool(
  'env-hash',
  { description: 'SHA-256 of an environment variable', inputSchema: { name: z.string() } },
  async ({ name }) => ({
    content: [
      { type: 'text', text: process.env[name] === undefined ? 'unset' : createHash('sha256').update(process.env[name]).digest('hex') },
    ],
  }),
);
server.registerTool('env-names', { description: 'The names of every environment variable' }, async () => ({
  content: [{ type: 'text', text: Object.keys(process.env).sort().join('\n') }],
}));
server.registerTool(
  'crash',
  { description: 'Print a variable on stderr and exit', inputSchema: { name: z.string() } },
  async ({ name }) => {
    process.stderr.write(`fatal: cannot use ${process.env[name]}\n`);
    process.exit(3);
  },
);
await server.connect(new StdioServerTransport());
