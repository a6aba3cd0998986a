/** A ToolHost of plain functions for orchestrator tests: one handler per `server.tool`, every call recorded. */
import type { HostedTool, ToolCallOutcome, ToolHost } from './tool-host.js';

export type Handler = (args: Record<string, unknown>) => Promise<string | ToolCallOutcome> | string | ToolCallOutcome;

/** A ToolHost of plain functions, recording every call. */
export function functionHost(handlers: Record<string, Handler>) {
  const calls: Array<{ name: string; args: Record<string, unknown> }> = [];
  const tools: HostedTool[] = Object.keys(handlers).map((name) => ({
    name,
    server: name.slice(0, name.indexOf('.')),
    description: `the ${name} tool`,
    inputSchema: { type: 'object', properties: {} },
  }));
  const host: ToolHost = {
    async listTools() {
      return tools;
    },
    async callTool(name, args) {
      calls.push({ name, args });
      const answer = await handlers[name]!(args);
      return typeof answer === 'string' ? { content: answer, isError: false, durationMs: 1 } : answer;
    },
    async close() {},
  };
  return { host, tools, calls };
}
