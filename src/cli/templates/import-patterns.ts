/**
 * `llmo templates import DIR`: prompt folders in the layout fabric's patterns use —
 * `NAME/system.md` (the system prompt) and, optionally, `NAME/user.md` (the prompt). Each folder
 * becomes the template NAME; the typed or piped input follows the prompt, as fabric sends it.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { checkTemplateName, templateFile, type Template } from '../../config/templates.js';
import { UsageError } from '../../errors.js';
import { readRegularFile } from '../../fs/read-regular-file.js';
import { getConfig } from '../context.js';
import { note } from '../output.js';
import { writeTemplate } from './templates.js';

/** A prompt file larger than this is not a prompt. */
const MAX_PROMPT_BYTES = 1024 * 1024;

export async function importPatterns(directory: string, options: { force?: boolean | undefined }): Promise<void> {
  const root = path.resolve(directory);
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`${directory} is not a folder`, { hint: 'give a folder of NAME/system.md folders (or one such folder)' });
  }
  const folders = existsSync(path.join(root, 'system.md'))
    ? [root]
    : readdirSync(root, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(path.join(root, entry.name, 'system.md')))
        .map((entry) => path.join(root, entry.name))
        .sort();
  if (folders.length === 0) {
    throw new UsageError(`no pattern folders in ${directory}: none has a system.md`, {
      hint: 'each pattern is a folder NAME/ holding system.md (and optionally user.md)',
    });
  }
  const imported: string[] = [];
  const skipped: string[] = [];
  for (const folder of folders) {
    const name = path.basename(folder);
    try {
      checkTemplateName(name);
    } catch {
      skipped.push(`${name} (not a usable template name)`);
      continue;
    }
    if (!options.force && existsSync(templateFile(getConfig().paths.templatesDir, name))) {
      skipped.push(`${name} (exists; --force replaces it)`);
      continue;
    }
    const template: Omit<Template, 'name'> = { system: readPrompt(path.join(folder, 'system.md'))! };
    const user = readPrompt(path.join(folder, 'user.md'));
    if (user !== undefined && user.trim() !== '') template.prompt = user;
    await writeTemplate(name, template, { force: true });
    imported.push(name);
  }
  process.stdout.write(
    `imported ${imported.length} template${imported.length === 1 ? '' : 's'}${imported.length ? `: ${imported.join(', ')}` : ''}\n`,
  );
  if (skipped.length) note(`skipped ${skipped.join(', ')}`);
}

function readPrompt(file: string): string | undefined {
  try {
    return readRegularFile(file, MAX_PROMPT_BYTES).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}
