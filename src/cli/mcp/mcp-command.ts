import { Command } from 'commander';

export function makeMcpCommand(): Command {
  const mcp = new Command('mcp').description('MCP servers: list them, see and call their tools, approve a project’s servers').addHelpText(
    'after',
    `
Servers are declared under mcp.servers in config.yaml or a project's ./.llmo.yaml; a project's
servers start only after \`llmo mcp approve NAME\` (again whenever their definition changes).
A value vault:NAME in a server's env or headers is read from the vault (\`llmo auth add NAME\`).`,
  );
  mcp.addCommand(
    new Command('list')
      .description('the configured servers: how each is started or reached, where it is defined, whether it is approved')
      .option('--json', 'print JSON')
      .action(async (options) => (await import('./mcp.js')).mcpList(options)),
  );
  mcp.addCommand(
    new Command('tools')
      .description("start a server and list its tools (server.tool and the description's first line)")
      .argument('<server>')
      .option('--json', 'print JSON, with each input schema')
      .action(async (server: string, options) => (await import('./mcp.js')).mcpTools(server, options)),
  );
  mcp.addCommand(
    new Command('call')
      .description("call one tool and print its result (a tool's error exits 5)")
      .argument('<server>')
      .argument('<tool>', 'the tool name, without the server prefix')
      .option('--args <json>', 'the arguments, as a JSON object', undefined)
      .action(async (server: string, tool: string, options) => (await import('./mcp.js')).mcpCall(server, tool, options)),
  );
  mcp.addCommand(
    new Command('approve')
      .description("trust a server defined in this project's ./.llmo.yaml, as it is defined now")
      .argument('<server>')
      .action(async (server: string) => (await import('./mcp.js')).mcpApprove(server)),
  );
  mcp.addCommand(
    new Command('test')
      .description('start each server (or the one named), list its tools, and report how it went')
      .argument('[server]')
      .action(async (server: string | undefined) => (await import('./mcp.js')).mcpTest(server)),
  );
  return mcp;
}
