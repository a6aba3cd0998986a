/**
 * `mcp.servers` and `tools` of config.yaml. Servers merge by name like chains: a later file's
 * definition replaces an earlier one whole, so a project file can never change half of a server
 * the user trusts and inherit the trust. Each server remembers the file that defined it (a
 * project's servers must be approved before they start).
 */
import path from 'node:path';
import { closest } from './closest-match.js';
import type { Reader } from './settings-reader.js';
import { fieldError, isRecord, type FieldPath, type YamlFile } from './yaml-file.js';

export interface StdioServerDefinition {
  transport: 'stdio';
  command: string;
  args: string[];
  /** Added to the server's (scrubbed) environment; a `vault:NAME` value is resolved when it starts. */
  env: Record<string, string>;
  /** Absolute; relative paths in the file are taken from the directory of that file. */
  cwd: string | undefined;
  timeoutSeconds: number;
}

export interface HttpServerDefinition {
  transport: 'http';
  url: string;
  /** Sent with every request; a `vault:NAME` word is resolved when it connects. */
  headers: Record<string, string>;
  timeoutSeconds: number;
}

export type McpServerDefinition = StdioServerDefinition | HttpServerDefinition;

export interface McpServerEntry {
  name: string;
  definition: McpServerDefinition;
  /** The config file that defined it (compare with `paths.projectFile`). */
  file: string;
}

export type ToolDecision = 'allow' | 'ask' | 'deny';

export interface ToolSettings {
  maxSteps: number;
  /** In file order; the last rule whose pattern matches `server.tool` wins. */
  policy: { pattern: string; decision: ToolDecision }[];
  maxResultChars: number;
}

export const DEFAULT_SERVER_TIMEOUT_SECONDS = 60;
/** Server names become the `server.` prefix of tool names: no dots, nothing a shell or YAML mangles. */
const SERVER_NAME = /^[A-Za-z0-9_-]+$/;
const STDIO_KEYS = ['command', 'args', 'env', 'cwd', 'timeout_seconds'];
const HTTP_KEYS = ['url', 'headers', 'timeout_seconds'];

/** Every server of every file, later files replacing earlier definitions of the same name. */
export function readMcpServers(sources: readonly YamlFile[]): Map<string, McpServerEntry> {
  const servers = new Map<string, McpServerEntry>();
  for (const source of sources) {
    if (!isRecord(source.value) || source.value.mcp === undefined || source.value.mcp === null) continue;
    const mcp = source.value.mcp;
    if (!isRecord(mcp)) throw fieldError(source, ['mcp'], 'expected a mapping with `servers`');
    rejectUnknown(source, ['mcp'], mcp, ['servers']);
    if (mcp.servers === undefined || mcp.servers === null) continue;
    if (!isRecord(mcp.servers)) throw fieldError(source, ['mcp', 'servers'], 'expected a mapping of server name → server');
    for (const [name, raw] of Object.entries(mcp.servers)) {
      servers.set(name, { name, definition: readServer(source, name, raw), file: source.file });
    }
  }
  return servers;
}

function readServer(source: YamlFile, name: string, raw: unknown): McpServerDefinition {
  const at: FieldPath = ['mcp', 'servers', name];
  if (!SERVER_NAME.test(name)) throw fieldError(source, at, 'a server name may hold only letters, digits, _ and -');
  if (!isRecord(raw)) throw fieldError(source, at, 'expected a mapping with `command` (stdio) or `url` (HTTP)');
  const timeoutSeconds = readTimeout(source, [...at, 'timeout_seconds'], raw.timeout_seconds);
  if (raw.command !== undefined && raw.url !== undefined) throw fieldError(source, at, 'give either `command` or `url`, not both');
  if (raw.url !== undefined) {
    rejectUnknown(source, at, raw, HTTP_KEYS);
    const url = readString(source, [...at, 'url'], raw.url);
    if (!/^https?:\/\//.test(url) || !URL.canParse(url)) throw fieldError(source, [...at, 'url'], 'must be an http:// or https:// URL');
    return { transport: 'http', url, headers: readStringMap(source, [...at, 'headers'], raw.headers), timeoutSeconds };
  }
  if (raw.command === undefined) throw fieldError(source, at, 'needs `command` (a stdio server) or `url` (an HTTP server)');
  rejectUnknown(source, at, raw, STDIO_KEYS);
  const args = raw.args ?? [];
  if (!Array.isArray(args)) throw fieldError(source, [...at, 'args'], 'must be a list of strings');
  const cwd = raw.cwd === undefined || raw.cwd === null ? undefined : readString(source, [...at, 'cwd'], raw.cwd);
  return {
    transport: 'stdio',
    command: readString(source, [...at, 'command'], raw.command),
    args: args.map((arg, index) => readScalar(source, [...at, 'args', index], arg)),
    env: readStringMap(source, [...at, 'env'], raw.env),
    cwd: cwd === undefined ? undefined : path.resolve(path.dirname(source.file), cwd),
    timeoutSeconds,
  };
}

/** `tools:` after the files were merged key by key (policy rules from every file, in order). */
export function readToolSettings(read: Reader): ToolSettings {
  return {
    maxSteps: read.number(['tools', 'max_steps'], { min: 1, integer: true }) ?? 10,
    policy: read.keys(['tools', 'policy']).map((pattern) => {
      const decision = read.string(['tools', 'policy', pattern]);
      if (decision !== 'allow' && decision !== 'ask' && decision !== 'deny') {
        throw read.error(['tools', 'policy', pattern], 'must be allow, ask or deny');
      }
      return { pattern, decision };
    }),
    maxResultChars: read.number(['tools', 'max_result_chars'], { min: 1, integer: true }) ?? 20_000,
  };
}

function rejectUnknown(source: YamlFile, at: FieldPath, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw fieldError(source, [...at, key], `unknown setting; did you mean ${closest(key, known)}?`);
  }
}

function readString(source: YamlFile, at: FieldPath, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw fieldError(source, at, 'must be a non-empty string');
  return value;
}

/** Arguments and variables may be written as numbers or booleans in YAML; they reach the server as text. */
function readScalar(source: YamlFile, at: FieldPath, value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw fieldError(source, at, 'must be a string');
}

function readStringMap(source: YamlFile, at: FieldPath, value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw fieldError(source, at, 'expected a mapping of name → string');
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, readScalar(source, [...at, key], item)]));
}

function readTimeout(source: YamlFile, at: FieldPath, value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_SERVER_TIMEOUT_SECONDS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw fieldError(source, at, 'must be a number of seconds > 0');
  return value;
}
