/** `llmo ask`: one prompt, one reply on stdout (streamed as it arrives), or one JSON object. */
import { UsageError } from '../errors.js';
import { callModel } from '../orchestrator/call-model.js';
import { composeSystemPrompt } from '../orchestrator/system-prompt.js';
import type { Message, ModelRequest } from '../providers/spec.js';
import type { AskOptions } from './ask-command.js';
import { openAskConversation } from './ask-conversation.js';
import { createAccounting, createResolver, defaultModelRef, getConfig, retryPolicy, timeoutMs } from './context.js';
import { warn } from './output.js';
import { parseNumberFlag } from './parse-number.js';
import { joinPrompt, readPipedStdin } from './read-stdin.js';
import { abortOnInterrupt } from './signals.js';

export async function ask(promptWords: string[], options: AskOptions): Promise<void> {
  const temperature = parseNumberFlag('--temperature', options.temperature, { min: 0, max: 2 });
  const maxTokens = parseNumberFlag('--max-tokens', options.maxTokens, { min: 1, integer: true });
  const config = getConfig();
  const system = composeSystemPrompt(config.catalog.systemPrompts, options);
  const prompt = joinPrompt(promptWords.join(' '), await readPipedStdin());
  if (prompt === '') {
    throw new UsageError('no prompt given', { hint: 'pass it as arguments (llmo ask "…") or pipe it on stdin (… | llmo ask)' });
  }

  const requestTimeout = timeoutMs(options.timeout);
  const resolve = createResolver({ ...(requestTimeout === undefined ? {} : { timeoutMs: requestTimeout }), quiet: false });
  const resolved = await resolve(options.model ?? defaultModelRef());
  const conversation = await openAskConversation(options);
  const messages: Message[] = [...(system ? [{ role: 'system' as const, content: system }] : []), ...conversation.history, { role: 'user', content: prompt }];
  const request: ModelRequest = {
    messages,
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(temperature === undefined ? {} : { temperature }),
  };

  const interrupt = abortOnInterrupt();
  // The last character written, so the answer's final line can be terminated.
  let lastPrinted = '';
  const result = await callModel({
    resolved,
    request,
    source: { kind: 'ask', ...(conversation.id ? { id: conversation.id } : {}) },
    accounting: await createAccounting({ noBudget: !options.budget }),
    retry: retryPolicy(),
    stream: options.stream,
    signal: interrupt.signal,
    ...(requestTimeout === undefined ? {} : { timeoutMs: requestTimeout }),
    onText: options.json
      ? undefined
      : (delta) => {
          if (delta === '') return;
          lastPrinted = delta.at(-1)!;
          process.stdout.write(delta);
        },
    onWarning: (message) => warn(message),
  }).finally(() => interrupt.dispose());

  // Terminate the answer's last line so the shell prompt (or the error below) starts on its own.
  if (!options.json && lastPrinted !== '' && lastPrinted !== '\n') process.stdout.write('\n');

  let conversationId: string | undefined;
  if (result.status === 'ok' || result.text !== '') {
    conversationId = await conversation.save({ system, prompt, result });
  }
  if (options.json) {
    const output = {
      provider: result.provider,
      model: result.responseModel ?? result.modelId,
      text: result.text,
      finish_reason: result.finishReason ?? (result.status === 'aborted' ? 'aborted' : 'error'),
      usage: { input_tokens: result.usage?.inputTokens ?? null, output_tokens: result.usage?.outputTokens ?? null },
      cost_usd: result.costUsd ?? null,
      duration_ms: result.durationMs,
      conversation_id: conversationId ?? null,
      ...(result.error ? { error: { kind: result.error.name, message: result.error.message } } : {}),
    };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  }
  if (result.error) {
    if (result.text !== '' && result.status === 'error') {
      throw Object.assign(result.error, { message: `${result.error.message} (the partial reply above is incomplete)` });
    }
    throw result.error;
  }
}
