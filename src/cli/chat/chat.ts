/**
 * `llmo chat`: builds what the UI needs (configuration, model resolver, accounting, the
 * conversation store and the conversation to start from), then loads the Ink UI lazily.
 * Mistakes in the flags (unknown model, persona or conversation) fail here, before the UI.
 */
import { createConversation, createConversationStore, type Conversation, type ConversationStore } from '../../conversations/index.js';
import { AuthError, ConfigError, InterruptedError, UsageError } from '../../errors.js';
import type { ResolvedModel } from '../../orchestrator/call-model.js';
import { composeSystemPrompt } from '../../orchestrator/system-prompt.js';
import { resolveModelRef } from '../../providers/registry.js';
import type { ChatOptions } from './chat-command.js';
import type { ChatInput } from '../../ui/session/session-types.js';
import { isAutoRef } from '../route/is-auto-ref.js';
import { createAccounting, createResolver, defaultModelRef, getConfig, responseCache, retryPolicy, timeoutMs } from '../context.js';
import { keepYoungGenerationSmall } from '../heap-tuning.js';
import { note, useColor, warn } from '../output.js';
import { parseNumberFlag } from '../parse-number.js';
import { applyPresets, modeTemperatureFor } from '../presets/apply-presets.js';

type Notice = { type: 'info'; text: string } | { type: 'error'; text: string; hint?: string };

export async function chat(given: ChatOptions): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError('chat needs a terminal (stdin and stdout)', {
      hint: 'for pipes and scripts use llmo ask (it reads stdin and can continue a conversation with -c)',
    });
  }
  keepYoungGenerationSmall();
  const config = getConfig();
  const presets =
    given.template !== undefined || given.mode !== undefined || given.param?.length
      ? applyPresets(given, config, { usesPrompt: false })
      : undefined;
  const options = presets?.options ?? given;
  const store = createConversationStore(config.paths.conversationsDir);
  const notices: Notice[] = [];
  if (presets?.template?.prompt !== undefined || presets?.template?.schema !== undefined) {
    notices.push({
      type: 'info',
      text: `template ${presets.template.name}: its prompt and schema apply to llmo ask; the chat takes its system prompt, model, temperature and tools`,
    });
  }
  let conversation = await startingConversation(store, options, notices);

  const system = systemOf(conversation, options, config.catalog.systemPrompts);
  const continued = conversation.messages.length ? conversation.model : undefined;
  // A continued conversation keeps its model unless -m (or -t's model) says otherwise; a mode's is a preference.
  const wanted = (presets?.modeModel ? (continued ?? options.model) : (options.model ?? continued)) ?? defaultModelRef();
  const inputs = await readStartInputs(options);
  // -m auto chooses once, for the whole chat, on what is known before the first message: the system prompt and --tools.
  const route = isAutoRef(wanted)
    ? await (await import('../route/route-model.js')).routeModel(wanted, {
        request: { messages: system.text ? [{ role: 'system', content: system.text }] : [] },
        tools: Boolean(options.tools),
        explain: options.explain,
      })
    : undefined;
  if (options.explain && !route) throw new UsageError('--explain shows how -m auto chose a model; use it with -m auto or -m auto:MODE');
  const ref = route?.ref ?? wanted;
  const named = resolveModelRef(config.catalog, ref); // an unknown model is a configuration error (exit 3) before the UI
  const temperature = modeTemperatureFor(presets, parseNumberFlag('temperature', options.temperature, { min: 0, max: 2 }), config.catalog, {
    provider: named.provider.name,
    modelId: named.modelId,
  });
  conversation = {
    ...conversation,
    system,
    model: conversation.messages.length ? conversation.model : `${named.provider.name}:${named.modelId}`,
  };

  const compressModel = checkedCompressModel(config);
  const requestTimeout = timeoutMs(options.timeout);
  const timeoutOption = requestTimeout === undefined ? {} : { timeoutMs: requestTimeout };
  // Inside the UI nothing may prompt on the terminal, so a locked vault becomes an error message.
  const resolveModel = createResolver({ quiet: true, interactive: false });
  let resolved: ResolvedModel | undefined;
  try {
    // Before the UI, a password prompt is still possible.
    resolved = await createResolver({ quiet: true })(ref);
    if (route) resolved = { ...resolved, routed: route.routed };
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    notices.push({
      type: 'error',
      text: error.message,
      hint: `${error.hint ? `${error.hint}; ` : ''}or /model to pick a provider that has a key`,
    });
  }

  // Ink draws nothing live when it believes it runs in CI (CI or CONTINUOUS_INTEGRATION set and
  // not "0"/"false", read when ink loads). We only get here on a terminal, so someone is
  // watching: a CI=true exported in a shell profile, or a test harness, must not blank the UI.
  for (const variable of ['CI', 'CONTINUOUS_INTEGRATION']) {
    if (process.env[variable] !== undefined) process.env[variable] = 'false';
  }
  const tools = options.tools ? await (await import('./chat-tools.js')).openChatTools(config, options) : undefined;
  const ui = await import('../../ui/run-chat.js');
  const color = useColor(process.stdout);
  const end = await ui
    .runChat(
      {
        resolveModel,
        accounting: await createAccounting({ noBudget: options.budget === false }),
        catalog: config.catalog,
        store,
        retry: retryPolicy({ quiet: true }),
        ...timeoutOption,
        tools,
        fallback: options.fallback?.length ? options.fallback : config.settings.fallback,
        cache: await responseCache(options.cache),
        settings: config.settings,
        clipboard: ui.createSystemClipboard({ terminal: process.stdout }),
        loadMarkdown: () => ui.loadTerminalMarkdown({ color }),
        color,
        compressModel,
        checkAttachments: async (request, model) =>
          (await import('../ask/ask-checks.js')).checkAttachmentLimits(request, model, config.catalog),
        inputs: (await import('./chat-inputs.js')).createChatInputReader(),
      },
      {
        conversation,
        model: resolved
          ? ui.activeModelOf(resolved)
          : {
              label: `${named.provider.name}:${named.modelId}`,
              provider: named.provider.name,
              modelId: named.modelId,
              info: named.info,
              resolved: undefined,
              ref,
            },
        notices,
        parameters: temperature === undefined ? undefined : { temperature },
        mode: presets?.mode?.name,
        inputs,
        profile: config.paths.profile,
      },
    )
    .finally(() => tools?.close());
  if (end.unsaved) {
    // Never "saved" when it was not: the user must know the last exchanges are gone.
    warn(`the conversation was not saved: ${end.unsaved.message}`);
    if (end.conversationId) note(`an earlier state of it is saved as ${end.conversationId}`);
  } else if (end.conversationId) {
    process.stderr.write(`conversation saved as ${end.conversationId} (llmo chat --resume ${end.conversationId})\n`);
  }
  if (end.signal) throw new InterruptedError(`interrupted by ${end.signal}`);
}

/** chat.compress_model names a model llmo knows: checked before the UI (exit 3), not at the first summary. */
function checkedCompressModel(config: ReturnType<typeof getConfig>): string | undefined {
  const ref = config.settings.chat.compressModel;
  if (ref === undefined) return undefined;
  try {
    resolveModelRef(config.catalog, ref);
  } catch (error) {
    if (error instanceof ConfigError)
      throw new ConfigError(`chat.compress_model: ${error.message}`, error.hint ? { hint: error.hint } : {});
    throw error;
  }
  return ref;
}

async function startingConversation(store: ConversationStore, options: ChatOptions, notices: Notice[]): Promise<Conversation> {
  if (options.resume) return store.load(options.resume);
  if (options.continue) {
    // One look at the index gives both the skipped files and the newest conversation.
    const { conversations, problems } = await store.list();
    for (const problem of problems) notices.push({ type: 'info', text: `skipped ${problem.file}: ${problem.reason}` });
    const newest = conversations[0];
    if (newest) return store.load(newest.id);
    notices.push({ type: 'info', text: 'no saved conversation to continue; this is a new one' });
  }
  return createConversation({ origin: 'chat', model: options.model ?? defaultModelRef() });
}

/** Flags replace the matching part of a resumed conversation's system prompt. */
function systemOf(
  conversation: Conversation,
  options: ChatOptions,
  prompts: Parameters<typeof composeSystemPrompt>[0],
): Conversation['system'] {
  const persona = options.persona ?? conversation.system.persona ?? undefined;
  const role = options.role ?? conversation.system.role ?? undefined;
  const text = options.system ?? conversation.system.text ?? undefined;
  const flagsGiven = options.persona !== undefined || options.role !== undefined || options.system !== undefined;
  // A resumed conversation keeps its composed prompt as saved unless a flag changes a part.
  const prompt =
    flagsGiven || !conversation.messages.length
      ? composeSystemPrompt(prompts, { persona, role, system: text })
      : (conversation.system.prompt ?? undefined);
  return { prompt: prompt ?? null, persona: persona ?? null, role: role ?? null, text: text ?? null };
}

/** -a and -f, read before the UI opens: a file that cannot be read is an error here, not in the chat. */
async function readStartInputs(options: ChatOptions): Promise<ChatInput[]> {
  const sources = [...(options.attach ?? []), ...(options.fragment ?? [])];
  if (sources.length === 0) return [];
  if (sources.includes('-')) {
    throw new UsageError('chat reads the terminal, so - (stdin) cannot be attached', {
      hint: 'give a path or a URL, or use llmo ask for piped input',
    });
  }
  const reader = (await import('./chat-inputs.js')).createChatInputReader();
  const inputs: ChatInput[] = [];
  for (const source of sources) {
    const read = await reader.read(source);
    for (const text of read.notes) note(text);
    inputs.push(...read.inputs);
  }
  return inputs;
}
