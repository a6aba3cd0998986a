// The floor for `llmo ask --tools`: a one-file script that starts server-everything over stdio with
// the MCP SDK, lists its tools and closes. Its time minus `node -e 0` is the server's own start.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const client = new Client({ name: 'bench', version: '0' });
await client.connect(new StdioClientTransport({ command: process.execPath, args: [process.argv[2]] }));
const { tools } = await client.listTools();
process.stdout.write(`${tools.length} tools\n`);
await client.close();
