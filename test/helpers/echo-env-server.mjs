#!/usr/bin/env node
// A tiny stdio MCP server built on the SDK's server API, for checking what reaches a server's
// environment without ever printing a secret: it answers with a variable's SHA-256, or with the
// names (not values) of its variables, or with how many live processes (llmo and itself
// included, while they run) show a variable's value in their command line. `crash` says a variable on stderr and dies, to prove
// llmo's error messages scrub what a dying server says.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
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
  'cmdline-count',
  { description: 'How many processes show a variable in /proc/*/cmdline', inputSchema: { name: z.string() } },
  async ({ name }) => {
    const value = process.env[name];
    let count = 0;
    for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
      try {
        if (value && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(value)) count += 1;
      } catch {
        // The process ended while we looked.
      }
    }
    return { content: [{ type: 'text', text: String(count) }] };
  },
);
server.registerTool(
  'crash',
  { description: 'Print a variable on stderr and exit', inputSchema: { name: z.string() } },
  async ({ name }) => {
    process.stderr.write(`fatal: cannot use ${process.env[name]}\n`);
    process.exit(3);
  },
);
await server.connect(new StdioServerTransport());
