/**
 * `llmo parallel` (alias `compare`): one prompt to several models at once. On a terminal the
 * answers stream live side by side (or stacked), then a summary table. Elsewhere each answer is
 * printed labelled, in the order the models were given, as soon as it and those before it are
 * done; or `--json` prints one object per model. The run is saved like a chain run.
 */
import { UsageError } from '../../errors.js';
import { retryNotice } from '../../providers/retry.js';
import { composeSystemPrompt } from '../../orchestrator/system-prompt.js';
import { runParallel, type ParallelEvent, type ParallelResult } from '../../orchestrator/run-parallel.js';
import { parallelRunRecord } from '../../orchestrator/parallel-run-record.js';
import { runningRecord } from '../../orchestrator/run-record.js';
import { discardRun } from '../../orchestrator/run-store.js';
import { resolveModelRef } from '../../providers/registry.js';
import { routeEach } from '../route/resolve-wanted.js';
import type { Message, ModelRequest } from '../../providers/spec.js';
import { createAccounting, createResolver, getConfig, responseCache, retryPolicy, timeoutMs } from '../context.js';
import { paint, useColor, warn } from '../output.js';
import type { ParallelOptions } from './parallel-command.js';
import { ParallelLiveView } from './parallel-live-view.js';
import { createParallelProgress } from './parallel-progress.js';
import { parseNumberFlag } from '../parse-number.js';
import { reserveRunOrWarn, saveRunOrWarn } from '../save-run.js';
import { joinPrompt, readPipedStdin } from '../read-stdin.js';
import { abortOnInterrupt } from '../signals.js';

export async function parallel(promptWords: string[], options: ParallelOptions): Promise<void> {
  const temperature = parseNumberFlag('--temperature', options.temperature, { min: 0, max: 2 });
  const maxTokens = parseNumberFlag('--max-tokens', options.maxTokens, { min: 1, integer: true });
  const refs = options.model
    .flatMap((value) => value.split(','))
    .map((ref) => ref.trim())
    .filter(Boolean);
  if (refs.length === 0)
    throw new UsageError('name the models to ask with -m', { hint: 'e.g. llmo parallel -m sonnet -m gpt -m gemini "…"' });
  if (options.repair !== undefined && options.schema === undefined && options.schemaMulti === undefined) {
    throw new UsageError('--repair only applies with --schema or --schema-multi');
  }
  // A schema is read and checked before anything is sent; a model whose reply never matches it is a failed model.
  const structured =
    options.schema === undefined && options.schemaMulti === undefined
      ? undefined
      : await (await import('../schema/schema-flags.js')).prepareSchemaFlags(options);
  const config = getConfig();
  const system = composeSystemPrompt(config.catalog.systemPrompts, options);
  const prompt = joinPrompt(promptWords.join(' '), await readPipedStdin());
  if (prompt === '')
    throw new UsageError('no prompt given', { hint: 'pass it as arguments (llmo parallel -m A -m B "…") or pipe it on stdin' });

  const configured = config.settings.parallel.timeoutSeconds;
  const requestTimeout = options.timeout === undefined && configured !== undefined ? configured * 1000 : timeoutMs(options.timeout);

  const accounting = await createAccounting({ noBudget: !options.budget });
  const messages: Message[] = [...(system ? [{ role: 'system' as const, content: system }] : []), { role: 'user', content: prompt }];
  const request: ModelRequest = {
    messages,
    maxTokens,
    temperature,
  };
  // -m auto… is routed on this request, once per mode.
  const routing = await routeEach(refs, createResolver({ quiet: Boolean(options.quiet) }), {
    request,
    schema: structured !== undefined,
    explain: options.explain,
  });
  const resolve = routing.resolve;
  // Unknown models are configuration mistakes, reported before anything runs; a missing key is
  // only that model's failure.
  const labels = refs.map((ref) => {
    const resolved = resolveModelRef(config.catalog, routing.labelOf(ref));
    return `${resolved.provider.name}:${resolved.modelId}`;
  });

  const live = !options.json && process.stdout.isTTY ? new ParallelLiveView(labels, process.stdout, useColor(process.stdout)) : undefined;
  const progress = !live && !options.quiet && process.stderr.isTTY ? createParallelProgress(labels) : undefined;
  const note = (message: string) =>
    live ? live.note(message) : progress ? progress.note(message) : options.quiet ? undefined : warn(message);
  const printer = options.json || live ? undefined : inOrderPrinter(refs.length);
  const onEvent = (event: ParallelEvent) => {
    live?.onEvent(event);
    progress?.onEvent(event);
    if (event.type === 'end') printer?.done(event.index, event.result);
  };
  const retry = {
    ...retryPolicy({ quiet: true }),
    onRetry: (info: Parameters<typeof retryNotice>[0]) => note(retryNotice(info, config.settings.request.retries)),
  };

  const { runsDir } = config.paths;
  const startedAt = new Date();
  const context = { id: '', startedAt, input: prompt, vars: {} };
  const reserved = await reserveRunOrWarn(runsDir, 'parallel', startedAt, (id) => runningRecord({ ...context, id }, 'parallel', undefined));
  context.id = reserved.id;
  const interrupt = abortOnInterrupt();
  let run;
  try {
    run = await runParallel({
      refs,
      request,
      resolve,
      accounting,
      retry,
      concurrency: config.settings.parallel.concurrency,
      source: { kind: 'parallel', id: context.id },
      signal: interrupt.signal,
      timeoutMs: requestTimeout,
      onEvent,
      onWarning: note,
      structured,
      cache: await responseCache(options.cache),
    });
  } catch (error) {
    // Refused before any call (the budget): there is no run to keep.
    if (reserved.saved) await discardRun(runsDir, context.id);
    throw error;
  } finally {
    interrupt.dispose();
    live?.finish(run);
    progress?.stop();
  }

  const record = parallelRunRecord(context, run);
  await saveRunOrWarn(runsDir, reserved, record);
  if (options.json) {
    const results = record.steps[0]!.branches.map(({ attempts: _attempts, ...result }) => result);
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  }
  if (run.error) throw run.error;
}

/** Prints each answer labelled, in -m order, as soon as it and every one before it are done. */
function inOrderPrinter(count: number) {
  const finished = new Array<ParallelResult | undefined>(count);
  let next = 0;
  let printed = 0;
  const color = useColor(process.stdout);
  return {
    done(index: number, result: ParallelResult) {
      finished[index] = result;
      while (next < count && finished[next]) {
        const current = finished[next]!;
        next += 1;
        if (current.status !== 'ok') continue;
        const text = current.text ?? '';
        process.stdout.write(
          `${printed > 0 ? '\n' : ''}${paint(`=== ${current.label} ===`, 'bold', color)}\n${text}${text.endsWith('\n') ? '' : '\n'}`,
        );
        printed += 1;
      }
    },
  };
}
