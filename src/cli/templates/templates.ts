/** `llmo templates list|show|edit|save`: the files are `<config dir>/templates/NAME.yaml`. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parseTemplate, readTemplate, templateFile, templateNames, type Template } from '../../config/templates.js';
import { stringify } from 'yaml';
import { parseYaml } from '../../config/yaml-file.js';
import { ConfigError, UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { getConfig } from '../context.js';
import { parseNumberFlag } from '../parse-number.js';
import type { SaveTemplateFlags } from './templates-command.js';

const templatesDir = () => getConfig().paths.templatesDir;

export function listTemplates(): void {
  const names = templateNames(templatesDir());
  if (names.length === 0) {
    process.stdout.write('no templates yet: llmo templates save NAME --prompt "…", or llmo templates import DIR\n');
    return;
  }
  const width = Math.max(...names.map((name) => name.length));
  for (const name of names) {
    let summary: string;
    try {
      const template = readTemplate(templatesDir(), name);
      summary = template.description ?? firstLine(template.prompt ?? template.system ?? '');
    } catch (error) {
      summary = `(invalid: ${(error as Error).message})`;
    }
    process.stdout.write(`${name.padEnd(width)}  ${summary}\n`.replace(/ +\n$/, '\n'));
  }
}

export function showTemplate(name: string): void {
  readTemplate(templatesDir(), name); // a missing or broken template says so, with its line
  process.stdout.write(readFileSync(templateFile(templatesDir(), name), 'utf8'));
}

export async function saveTemplate(name: string, flags: SaveTemplateFlags): Promise<void> {
  const temperature = parseNumberFlag('--temperature', flags.temperature, { min: 0, max: 2 });
  const tools = flags.tools
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter(Boolean);
  const template: Omit<Template, 'name'> = {
    ...(flags.description !== undefined && { description: flags.description }),
    ...(flags.system !== undefined && { system: flags.system }),
    ...(flags.prompt !== undefined && { prompt: flags.prompt }),
    ...(flags.model !== undefined && { model: flags.model }),
    ...(temperature !== undefined && { temperature }),
    ...(flags.schema !== undefined && { schema: flags.schema }),
    ...(tools.length > 0 && { tools }),
  };
  if (template.system === undefined && template.prompt === undefined) {
    throw new UsageError('a template needs --system or --prompt (or both)', {
      hint: `llmo templates save ${name} --prompt "Summarise: {{input}}"`,
    });
  }
  await writeTemplate(name, template, { force: Boolean(flags.force) });
  process.stdout.write(`saved template ${name} (${templateFile(templatesDir(), name)}); use it with: llmo ask -t ${name} …\n`);
}

/** Writes a template that was checked first; an existing one is kept unless `force`. */
export async function writeTemplate(name: string, template: Omit<Template, 'name'>, options: { force: boolean }): Promise<void> {
  const file = templateFile(templatesDir(), name);
  if (!options.force && existsSync(file)) {
    throw new UsageError(`template "${name}" already exists (${file})`, {
      hint: 'pass --force to replace it, or llmo templates edit to change it',
    });
  }
  const text = stringify(template, { lineWidth: 0 });
  parseTemplate(name, parseYaml(file, text));
  await writeFileAtomic(file, text);
}

const SKELETON = `# A prompt template: llmo ask -t NAME [-p VARIABLE VALUE …] [prompt]
# Every field is optional; {{input}} is the typed or piped prompt, {{NAME}} a -p variable.
description: what this template is for
system: |
  You are …
prompt: |
  {{input}}
# model: sonnet
# temperature: 0.3
# schema: "title, summary"
# tools: [fs]
`;

/**
 * Opens the template in the user's editor, as git does: `$VISUAL`, else `$EDITOR`, run by the
 * shell so `EDITOR="code -w"` works. After the editor closes the file is checked, so a mistake
 * is found now, not at the next `-t`.
 */
export async function editTemplate(name: string): Promise<void> {
  const file = templateFile(templatesDir(), name);
  if (!existsSync(file)) await writeFileAtomic(file, SKELETON);
  const editor = process.env.VISUAL || process.env.EDITOR;
  if (!editor) throw new UsageError('no editor: set $EDITOR (or $VISUAL)', { hint: `or edit ${file} directly` });
  const result = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'editor', file], { stdio: 'inherit' });
  if (result.error || result.status !== 0) {
    throw new UsageError(`the editor (${editor}) failed${result.status ? ` with exit ${result.status}` : ''}; ${file} is as it left it`);
  }
  try {
    readTemplate(templatesDir(), name);
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new ConfigError(error.message, { hint: `fix it with: llmo templates edit ${name}` });
    }
    throw error;
  }
  process.stdout.write(`saved template ${name}\n`);
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 70 ? `${line.slice(0, 69)}…` : line;
}
