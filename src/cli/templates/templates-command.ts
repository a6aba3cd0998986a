import { Command } from 'commander';

const collect = (value: string, previous: string[]) => [...previous, value];

export interface SaveTemplateFlags {
  description?: string;
  system?: string;
  prompt?: string;
  model?: string;
  temperature?: string;
  schema?: string;
  tools: string[];
  force?: boolean;
}

/** `llmo templates list|show|edit|save|import`: prompt templates for `llmo ask -t NAME`. */
export function makeTemplatesCommand(): Command {
  const templates = new Command('templates').description('prompt templates, used with llmo ask -t NAME (and -p NAME VALUE for {{NAME}})');
  templates.addCommand(
    new Command('list').description('the saved templates, with their descriptions').action(async () => {
      const { listTemplates } = await import('./templates.js');
      listTemplates();
    }),
  );
  templates.addCommand(
    new Command('show')
      .description('print a template as it is saved (YAML)')
      .argument('<name>', 'the template')
      .action(async (name: string) => {
        const { showTemplate } = await import('./templates.js');
        showTemplate(name);
      }),
  );
  templates.addCommand(
    new Command('edit')
      .description('open a template in $VISUAL or $EDITOR (a new one starts from a skeleton); checked when the editor closes')
      .argument('<name>', 'the template')
      .action(async (name: string) => {
        const { editTemplate } = await import('./templates.js');
        await editTemplate(name);
      }),
  );
  templates.addCommand(
    new Command('save')
      .description('save a template from flags')
      .argument('<name>', 'letters, digits, _, - and .')
      .option('--description <text>', 'one line for llmo templates list')
      .option('--system <text>', 'the system prompt ({{NAME}} variables allowed)')
      .option('--prompt <text>', 'the prompt: {{input}} is what is typed or piped (else it is added at the end); {{NAME}} is -p NAME VALUE')
      .option('-m, --model <ref>', 'the model it uses unless -m says otherwise')
      .option('--temperature <n>', 'sampling temperature')
      .option('--schema <schema>', 'reply with JSON matching this schema (anything ask --schema takes)')
      .option('--tools <servers-or-patterns>', 'tools the model may call (repeatable, or comma-separated)', collect, [])
      .option('--force', 'replace a template of the same name')
      .action(async (name: string, flags: SaveTemplateFlags) => {
        const { saveTemplate } = await import('./templates.js');
        await saveTemplate(name, flags);
      }),
  );
  templates.addCommand(
    new Command('import')
      .description('import prompt folders of the NAME/system.md (+ optional user.md) layout, as fabric patterns are kept')
      .argument('<dir>', 'a folder of pattern folders (or one pattern folder)')
      .option('--force', 'replace templates of the same names')
      .action(async (directory: string, flags: { force?: boolean }) => {
        const { importPatterns } = await import('./import-patterns.js');
        await importPatterns(directory, flags);
      }),
  );
  return templates;
}
