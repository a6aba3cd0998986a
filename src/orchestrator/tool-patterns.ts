/**
 * How people name tools in `--tools`, `--approve` and `tools.policy`: `server.tool` globs (`*` any
 * run of characters, `?` one), `*` for everything, or a bare server name for all of that server's
 * tools. One matcher for all three, so a pattern means the same wherever it is written.
 */
import { UsageError } from '../errors.js';
import type { HostedTool } from './tool-host.js';

/** Whether `pattern` covers the tool `name` (`server.tool`). */
export function matchesTool(pattern: string, name: string): boolean {
  if (!/[*?.]/.test(pattern)) return name.startsWith(`${pattern}.`);
  return globToRegExp(pattern).test(name);
}

/** The servers a pattern can reach: its part before the first dot, or every server for `*fs*`-like patterns. */
export function serversOf(patterns: readonly string[], configured: readonly string[]): string[] {
  const servers = new Set<string>();
  for (const pattern of patterns) {
    const head = pattern.includes('.') ? pattern.slice(0, pattern.indexOf('.')) : pattern;
    if (/[*?]/.test(head)) {
      for (const server of configured) if (globToRegExp(head).test(server)) servers.add(server);
    } else {
      servers.add(head);
    }
  }
  return [...servers];
}

/** Splits `--tools fs,gh --tools 'web.*'` into patterns, dropping blanks. */
export function parseToolSelectors(values: readonly string[]): string[] {
  return values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

/**
 * The tools the selectors name, in the host's order. A selector that matches nothing is a usage
 * error naming the tools that exist, since sending the model no tools would be a silent surprise.
 */
export function selectTools(tools: readonly HostedTool[], selectors: readonly string[]): HostedTool[] {
  for (const selector of selectors) {
    if (tools.some((tool) => matchesTool(selector, tool.name))) continue;
    const known = tools.map((tool) => tool.name);
    throw new UsageError(`--tools ${selector} matches no tool`, {
      hint: known.length
        ? `tools: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}`
        : 'the selected servers list no tools',
    });
  }
  return tools.filter((tool) => selectors.some((selector) => matchesTool(selector, tool.name)));
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
