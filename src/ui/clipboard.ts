/**
 * Copying to the system clipboard for /copy: the platform's tool when one is installed
 * (pbcopy, wl-copy, xclip, xsel, clip), else tmux's paste buffer inside tmux (which tmux also
 * hands to the terminal's clipboard where it may), else OSC 52 (the terminal's own clipboard,
 * which works over SSH when the terminal allows it), else a clear "there is none".
 * Child processes never see LLMO_* variables (they may hold a vault session).
 */
import { spawn } from 'node:child_process';

export type CopyOutcome = { copied: true; method: string; uncertain?: boolean } | { copied: false; reason: string };

export interface Clipboard {
  copy(text: string): Promise<CopyOutcome>;
}

interface Tool {
  command: string;
  args: string[];
  /** How the message names it, when not by its command. */
  label?: string;
}

export function clipboardTools(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): Tool[] {
  if (platform === 'darwin') return [{ command: 'pbcopy', args: [] }];
  if (platform === 'win32') return [{ command: 'clip', args: [] }];
  const tools: Tool[] = [];
  if (env.WAYLAND_DISPLAY) tools.push({ command: 'wl-copy', args: [] });
  if (env.DISPLAY) {
    tools.push({ command: 'xclip', args: ['-selection', 'clipboard'] }, { command: 'xsel', args: ['--clipboard', '--input'] });
  }
  // An OSC 52 from inside tmux reaches the terminal only when tmux is set to let it through
  // (set-clipboard on, or allow-passthrough), which is off by default; `load-buffer -w` always
  // fills tmux's buffer and passes it on to the terminal where tmux's settings allow.
  if (env.TMUX) tools.push({ command: 'tmux', args: ['load-buffer', '-w', '-'], label: "tmux's paste buffer (prefix ] pastes it)" });
  return tools;
}

export function withoutLlmoVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('LLMO_')));
}

/** The OSC 52 sequence that asks the terminal to put `text` on its clipboard. */
export function osc52(text: string, env: NodeJS.ProcessEnv): string {
  const sequence = `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
  // Inside tmux the sequence must be passed through to the outer terminal.
  return env.TMUX ? `\u001bPtmux;${sequence.replaceAll('\u001b', '\u001b\u001b')}\u001b\\` : sequence;
}

export interface SystemClipboardOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** Where OSC 52 goes; undefined (no terminal) disables the fallback. */
  terminal?: { write(data: string): unknown } | undefined;
  timeoutMs?: number;
}

export function createSystemClipboard(options: SystemClipboardOptions = {}): Clipboard {
  const env = options.env ?? process.env;
  const tools = clipboardTools(options.platform ?? process.platform, env);
  return {
    async copy(text) {
      for (const tool of tools) {
        if (await runTool(tool, text, withoutLlmoVariables(env), options.timeoutMs ?? 3000))
          return { copied: true, method: tool.label ?? tool.command };
      }
      // OSC 52 payloads beyond ~100 kB are dropped by most terminals.
      if (options.terminal && text.length < 100_000) {
        options.terminal.write(osc52(text, env));
        return { copied: true, method: 'the terminal (OSC 52)', uncertain: true };
      }
      return {
        copied: false,
        reason: 'no clipboard here: install wl-clipboard, xclip or xsel, or use /save and llmo conversations export',
      };
    },
  };
}

function runTool(tool: Tool, text: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(tool.command, tool.args, { env, stdio: ['pipe', 'ignore', 'ignore'] });
    } catch {
      resolve(false);
      return;
    }
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.on('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
    child.stdin.on('error', () => {});
    child.stdin.end(text);
  });
}
