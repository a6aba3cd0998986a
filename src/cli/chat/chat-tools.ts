/**
 * The chat's tools: with `--tools`, one MCP host for the whole session. Its servers start here,
 * before the UI (so a vault prompt for a `vault:` secret can still be answered, and a server that
 * cannot start fails at once), and run until the chat ends.
 */
import type { LlmoConfig } from '../../config/load.js';
import type { ChatToolRun, ChatTools } from '../../ui/session/chat-session.js';
import { saveToolRule } from '../config/config.js';
import { openRunTools } from '../tools/open-run-tools.js';
import type { ToolFlags } from '../tools/tool-flags.js';

export async function openChatTools(config: LlmoConfig, flags: ToolFlags): Promise<ChatTools | undefined> {
  // The UI asks in its own picker (ChatSession passes it to the loop).
  const run = await openRunTools(config, flags);
  if (!run) return undefined;
  const { host, tools, policy, maxSteps, maxResultChars } = run;
  const session: ChatToolRun = { host, tools, policy, maxSteps, maxResultChars };
  return {
    on: true,
    open: async () => session,
    saveRule: (pattern) => saveToolRule(pattern, 'allow'),
    close: () => host.close(),
  };
}
