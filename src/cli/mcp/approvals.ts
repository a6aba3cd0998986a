/**
 * Trust for servers a project defines: a `./.llmo.yaml` is code someone else wrote, and an MCP
 * server is a program it would start. Such a server starts only once `llmo mcp approve NAME`
 * recorded the SHA-256 of its definition for that project file; any change to the definition
 * changes the hash, so it must be approved again. Servers from the user's own config need nothing.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LlmoConfig } from '../../config/load.js';
import type { McpServerDefinition, McpServerEntry } from '../../config/tool-settings.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { ConfigError } from '../../errors.js';

export type Trust = 'user' | 'approved' | 'not-approved' | 'changed';

interface ApprovalsFile {
  version: 1;
  /** project file → server name → `sha256:<hex>` of the definition approved */
  projects: Record<string, Record<string, string>>;
}

export function approvalsFile(config: LlmoConfig): string {
  return path.join(config.paths.configDir, 'mcp-approvals.json');
}

/** The hash of a definition: JSON with sorted keys, so the order in the YAML does not matter. */
export function definitionHash(definition: McpServerDefinition): string {
  return `sha256:${createHash('sha256').update(canonicalJson(definition)).digest('hex')}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function isProjectServer(config: LlmoConfig, entry: McpServerEntry): boolean {
  return path.resolve(entry.file) === path.resolve(config.paths.projectFile);
}

export function trustOf(config: LlmoConfig, entry: McpServerEntry): Trust {
  if (!isProjectServer(config, entry)) return 'user';
  const approved = readApprovals(config).projects[path.resolve(entry.file)]?.[entry.name];
  if (approved === undefined) return 'not-approved';
  return approved === definitionHash(entry.definition) ? 'approved' : 'changed';
}

/** Throws unless the server may start. */
export function assertTrusted(config: LlmoConfig, entry: McpServerEntry): void {
  const trust = trustOf(config, entry);
  if (trust === 'user' || trust === 'approved') return;
  const why = trust === 'changed' ? 'changed since it was approved' : 'not been approved';
  throw new ConfigError(`MCP server "${entry.name}" is defined by the project file ${entry.file} and has ${why}; it was not started`, {
    hint: `read its definition (\`llmo mcp list\`), then run \`llmo mcp approve ${entry.name}\` if you trust it`,
  });
}

export async function approve(config: LlmoConfig, entry: McpServerEntry): Promise<void> {
  const approvals = readApprovals(config);
  const project = path.resolve(entry.file);
  approvals.projects[project] = { ...approvals.projects[project], [entry.name]: definitionHash(entry.definition) };
  await writeFileAtomic(approvalsFile(config), `${JSON.stringify(approvals, null, 2)}\n`);
}

function readApprovals(config: LlmoConfig): ApprovalsFile {
  const file = approvalsFile(config);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, projects: {} };
    throw new ConfigError(`${file}: cannot read: ${(error as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as ApprovalsFile;
    if (parsed?.version === 1 && parsed.projects !== null && typeof parsed.projects === 'object') return parsed;
  } catch {
    // Reported below.
  }
  throw new ConfigError(`${file}: not a valid approvals file`, {
    hint: 'delete it and approve the project servers you trust again with `llmo mcp approve NAME`',
  });
}
