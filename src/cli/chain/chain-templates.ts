/**
 * The shipped chain templates (config/chain-templates/NAME.yaml): `llmo chain templates` lists
 * them, `llmo chain new NAME --from TEMPLATE` copies one, comments and all, for the user to edit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { closeMatches } from '../../config/closest-match.js';
import { packageRoot } from '../../config/paths.js';
import { isRecord, readYamlFile } from '../../config/yaml-file.js';
import { ConfigError } from '../../errors.js';
import type { ChainListOptions } from './chain-command.js';

export interface ChainTemplate {
  name: string;
  description: string;
  file: string;
}

export function templatesDir(): string {
  return path.join(packageRoot(), 'config', 'chain-templates');
}

export function listTemplates(): ChainTemplate[] {
  const directory = templatesDir();
  return readdirSync(directory)
    .filter((entry) => entry.endsWith('.yaml'))
    .sort()
    .map((entry) => {
      const file = path.join(directory, entry);
      const value = readYamlFile(file)?.value;
      const description = isRecord(value) && typeof value.description === 'string' ? value.description : '';
      return { name: entry.slice(0, -'.yaml'.length), description, file };
    });
}

export async function chainTemplates(options: ChainListOptions): Promise<void> {
  const templates = listTemplates();
  if (options.json) {
    process.stdout.write(`${JSON.stringify(templates, null, 2)}\n`);
    return;
  }
  const width = Math.max(...templates.map((template) => template.name.length));
  for (const template of templates) process.stdout.write(`${template.name.padEnd(width)}  ${template.description}\n`);
}

/** A template's text, ready to be saved anywhere: its schema comment points at the shipped schema. */
export function templateText(name: string, schemaFile: string): string {
  const templates = listTemplates();
  const template = templates.find((candidate) => candidate.name === name);
  if (!template) {
    const names = templates.map((candidate) => candidate.name);
    const suggestions = closeMatches(name, names);
    throw new ConfigError(`no chain template "${name}"${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}`, {
      hint: `templates: ${names.join(', ')} (llmo chain templates)`,
    });
  }
  return readFileSync(template.file, 'utf8').replace(/^# yaml-language-server: \$schema=.*$/m, schemaComment(schemaFile));
}

export function schemaComment(schemaFile: string): string {
  return `# yaml-language-server: $schema=${schemaFile}`;
}
