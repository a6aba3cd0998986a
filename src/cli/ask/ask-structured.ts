/**
 * `llmo ask --schema S`: the reply must be JSON matching S. Loaded only when a schema is given.
 * stdout gets the valid JSON (pretty on a terminal, one line in a pipe) and nothing else: after
 * the last failed repair the run ends with exit 7, the problems on stderr, stdout empty (unless
 * --keep-invalid). `--json` wraps the outcome: data, valid, errors, attempts, summed usage and cost.
 */
export { prepareSchemaFlags } from '../schema/schema-flags.js';
import type { ModelResolver, ResolvedModel } from '../../orchestrator/call-model.js';
import { callStructured } from '../../orchestrator/call-structured.js';
import type { ModelRequest } from '../../providers/spec.js';
import type { Accounting } from '../../usage/accounting.js';
import { retryPolicy } from '../context.js';
import { note, warn } from '../output.js';
import type { SchemaChoice } from '../schema/schema-flags.js';
import { abortOnInterrupt } from '../signals.js';
import type { AskOptions } from './ask-command.js';
import type { AskConversation } from './ask-conversation.js';

export interface StructuredAsk {
  ask: SchemaChoice;
  options: AskOptions;
  resolved: ResolvedModel;
  resolve: ModelResolver;
  request: ModelRequest;
  accounting: Accounting;
  conversation: AskConversation;
  system: string | undefined;
  prompt: string;
  timeoutMs: number | undefined;
}

export async function askStructured(context: StructuredAsk): Promise<void> {
  const { ask, options, conversation } = context;
  const repairModel = options.repairModel === undefined ? undefined : await context.resolve(options.repairModel);
  const interrupt = abortOnInterrupt();
  const result = await callStructured({
    resolved: context.resolved,
    request: context.request,
    source: { kind: 'ask', ...(conversation.id ? { id: conversation.id } : {}) },
    accounting: context.accounting,
    retry: retryPolicy(),
    stream: options.stream,
    signal: interrupt.signal,
    timeoutMs: context.timeoutMs,
    onWarning: (message) => warn(message),
    schema: ask.schema,
    repairs: ask.repairs,
    repairModel,
    onRepair: (attempt, problem) =>
      note(`the reply does not match the schema (${problem}); asking for a correction (${attempt} of ${ask.repairs})`),
  }).finally(() => interrupt.dispose());

  const { final } = result;
  const text = result.valid ? JSON.stringify(result.data) : final.text;
  let conversationId: string | undefined;
  if (final.status === 'ok' || final.text !== '')
    conversationId = await conversation.save({ system: context.system, prompt: context.prompt, reply: { ...final, text }, toolSteps: [] });

  if (options.json) {
    const output = {
      provider: final.provider,
      model: final.responseModel ?? final.modelId,
      data: result.valid ? result.data : null,
      valid: result.valid,
      errors: result.issues.map((issue) => ({ path: issue.path, message: issue.message })),
      attempts: result.calls.length,
      text: final.text,
      finish_reason: final.finishReason ?? (final.status === 'aborted' ? 'aborted' : 'error'),
      usage: { input_tokens: result.usage?.inputTokens ?? null, output_tokens: result.usage?.outputTokens ?? null },
      cost_usd: result.costUsd ?? null,
      duration_ms: result.calls.reduce((sum, call) => sum + call.durationMs, 0),
      conversation_id: conversationId ?? null,
      ...(result.error ? { error: { kind: result.error.name, message: result.error.message } } : {}),
    };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  } else if (result.valid) {
    process.stdout.write(`${process.stdout.isTTY ? JSON.stringify(result.data, null, 2) : JSON.stringify(result.data)}\n`);
  } else if (options.keepInvalid && final.text !== '') {
    process.stdout.write(final.text.endsWith('\n') ? final.text : `${final.text}\n`);
  }
  if (result.error) throw result.error;
}
