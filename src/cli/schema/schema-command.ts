import { Command } from 'commander';

export function makeSchemaCommand(): Command {
  const schema = new Command('schema').description(
    'JSON Schemas for structured output (--schema): check one, or see what a concise form means',
  );
  schema.addCommand(
    new Command('check')
      .description('is this a usable JSON Schema, and what will each vendor drop of it (exit 3 when it is not usable)')
      .argument('<schema>', 'a file (.json, .yaml), inline JSON, a name from schemas: in config.yaml, or the concise form')
      .option('--multi', 'check it as --schema-multi sends it (a list of such objects under "items")')
      .action(async (spec: string, options: { multi?: boolean }) => {
        const { checkSchema } = await import('./check.js');
        await checkSchema(spec, options);
      }),
  );
  schema.addCommand(
    new Command('show')
      .description('print the JSON Schema a concise form (or a file, a name) means')
      .argument('<schema>', 'the concise form ("title, year int, tags [str]: a description"), a file, inline JSON or a name')
      .option('--multi', 'as --schema-multi sends it (a list of such objects under "items")')
      .action(async (spec: string, options: { multi?: boolean }) => {
        const { showSchema } = await import('./show.js');
        await showSchema(spec, options);
      }),
  );
  return schema;
}
