import { Command, Option } from 'commander';

export interface BatchInputOptions {
  model?: string;
  prompt?: string;
  template?: string;
  system?: string;
  maxTokens?: string;
  output?: string;
  skipInvalid?: boolean;
  quiet?: boolean;
  budget: boolean;
  explain?: boolean;
}

export interface BatchRunOptions extends BatchInputOptions {
  concurrency?: string;
  rpm?: string;
  tpm?: string;
  timeout?: string;
  mode?: 'local' | 'vendor' | 'auto';
  within?: string;
  schema?: string;
  repair?: string;
}

export interface BatchIdOptions {
  output?: string;
  quiet?: boolean;
  json?: boolean;
  pollSeconds?: string;
}

function inputOptions(command: Command): Command {
  return command
    .argument('<input>', 'JSONL (id, prompt or messages, vars, system, model, max_tokens) or CSV with a header (.csv)')
    .option('-m, --model <ref>', 'model for every line that names none (default: main_llm)')
    .option('--prompt <template>', 'build each prompt from the line\'s fields: "Classify: {{text}}"')
    .option('--template <file>', 'the same, from a file')
    .option('-s, --system <text>', 'system prompt for lines that carry none')
    .option('--max-tokens <n>', 'maximum output tokens per line')
    .option('-o, --output <file>', 'write the output JSONL here (default: stdout)')
    .option('--skip-invalid', 'send the valid lines even when some are malformed (those get an error line)')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--explain', 'with -m auto: print on stderr how routing ranked the models (for the first line each model won)')
    .addOption(new Option('--no-budget', 'ignore the configured budgets for this batch'));
}

export function makeBatchCommand(): Command {
  const batch = new Command('batch').description(
    "run many prompts from a JSONL or CSV file: locally, or on a vendor's batch API at half price",
  );
  batch.addCommand(
    inputOptions(new Command('run').description('run a batch locally (resumable; rate-limited); --mode vendor|auto submits it instead'))
      .option('--concurrency <n>', 'lines in flight at once (default: batch.concurrency)')
      .option('--rpm <n>', 'at most this many requests a minute (default: batch.rpm)')
      .option('--tpm <n>', 'at most this many tokens a minute, prompt estimate + max_tokens (default: batch.tpm)')
      .option('--timeout <seconds>', 'per-request timeout')
      .addOption(
        new Option('--mode <mode>', 'local, vendor, or auto: vendor when the provider has a batch API and --within allows 24h')
          .choices(['local', 'vendor', 'auto'])
          .default('local'),
      )
      .option('--within <duration>', 'how long the results may take (e.g. 24h, 30m); with --mode auto')
      .option(
        '--schema <schema>',
        'each reply must be JSON matching this schema (file, inline JSON, schemas: name or concise form); output carries `data`',
      )
      .option('--repair <n>', 'with --schema: send an invalid reply back for correction up to n times (default 2)')
      .action(async (input: string, options: BatchRunOptions) => {
        const { runBatch } = await import('./batch.js');
        await runBatch(input, options);
      }),
  );
  batch.addCommand(
    new Command('resume')
      .description('finish an interrupted local batch: only lines without a result are sent')
      .argument('<id>', 'batch id (llmo batch list)')
      .option('-o, --output <file>', 'write the output JSONL here (default: where the batch wrote it)')
      .option('-q, --quiet', 'no progress on stderr')
      .action(async (id: string, options: BatchIdOptions) => {
        const { resumeBatch } = await import('./batch.js');
        await resumeBatch(id, options);
      }),
  );
  batch.addCommand(
    inputOptions(
      new Command('submit').description("send a batch to the vendor's batch API (openai, anthropic, gemini, mistral) and return at once"),
    ).action(async (input: string, options: BatchRunOptions) => {
      const { submitBatch } = await import('./vendor-batch.js');
      await submitBatch(input, options);
    }),
  );
  batch.addCommand(
    new Command('status')
      .description('state, counts and cost of a batch')
      .argument('<id>')
      .option('--json', 'print the batch record as JSON')
      .action(async (id: string, options: BatchIdOptions) => {
        const { batchStatus } = await import('./batch-status.js');
        await batchStatus(id, options);
      }),
  );
  batch.addCommand(
    new Command('wait')
      .description('wait for a vendor batch to end, showing progress; then write its results')
      .argument('<id>')
      .option('-o, --output <file>', 'write the output JSONL here (default: stdout)')
      .option('--poll-seconds <n>', 'seconds between polls', '10')
      .option('-q, --quiet', 'no progress on stderr')
      .action(async (id: string, options: BatchIdOptions) => {
        const { waitBatch } = await import('./vendor-batch.js');
        await waitBatch(id, options);
      }),
  );
  batch.addCommand(
    new Command('results')
      .description("write a batch's output JSONL, in input order")
      .argument('<id>')
      .option('-o, --output <file>', 'write it here (default: stdout)')
      .action(async (id: string, options: BatchIdOptions) => {
        const { batchResults } = await import('./vendor-batch.js');
        await batchResults(id, options);
      }),
  );
  batch.addCommand(
    new Command('cancel')
      .description('cancel a vendor batch')
      .argument('<id>')
      .action(async (id: string) => {
        const { cancelBatch } = await import('./vendor-batch.js');
        await cancelBatch(id);
      }),
  );
  batch.addCommand(
    new Command('list')
      .description('every batch: mode, state, counts and cost')
      .option('--json', 'print JSON')
      .action(async (options: BatchIdOptions) => {
        const { batchList } = await import('./batch-status.js');
        await batchList(options);
      }),
  );
  return batch;
}
