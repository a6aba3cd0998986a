/** /tools: list the tools replies may call, or turn them on and off for this session. */
import { columns } from './columns.js';
import { failure, info, type SlashCommand } from './types.js';

export const toolsCommand: SlashCommand = {
  name: 'tools',
  argumentHint: '[on|off]',
  description: 'list the MCP tools replies may call (also /tools list), or turn them on or off',
  completion: () => ['list', 'on', 'off'],
  async action(context, args) {
    const tools = context.session.tools;
    if (!tools)
      return failure('This chat has no tools.', 'start it with llmo chat --tools SERVER (servers are declared under mcp.servers)');
    switch (args.trim()) {
      case 'on':
        return { type: 'set-tools', on: true };
      case 'off':
        return { type: 'set-tools', on: false };
      case '':
      case 'list': {
        const list = await tools.list();
        const rows = list.map((tool) => [tool.name, tool.description?.split('\n')[0] ?? '']);
        return info(`Tools (${tools.on ? 'on' : 'off: /tools on lets replies call them'})\n${columns(rows, '  ', context.width)}`);
      }
      default:
        return failure(`/tools takes list, on or off, not "${args.trim()}"`);
    }
  },
};
