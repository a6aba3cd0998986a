/**
 * Fakes for the chat UI's tests: a scripted LanguageModel, a resolver over a small catalog,
 * an in-memory conversation store and a clipboard that records what it was given.
 */
import { EventEmitter } from 'node:events';
import { stripVTControlCharacters } from 'node:util';
import { render as inkRender } from 'ink';
import type { ReactElement } from 'react';
import { buildSettings } from '../config/settings.js';
import type { ModelCatalog, ModelInfo, ProviderInfo } from '../config/catalog.js';
import { CorruptConversation, summarize, type Conversation, type ConversationStore } from '../conversations/index.js';
import { ConfigError } from '../errors.js';
import type { ResolvedModel } from '../orchestrator/call-model.js';
import type { RetryPolicy } from '../providers/retry.js';
import type { LanguageModel, ModelRequest, ProviderError, StreamPart, Usage } from '../providers/spec.js';
import { noAccounting } from '../usage/accounting.js';
import type { ChatServices } from './chat-services.js';
import type { Clipboard, CopyOutcome } from './clipboard.js';
import { rawMarkdown, type MarkdownRenderer } from './markdown/load-markdown.js';
import { type ActiveModel, activeModelOf, type ChatTools } from './session/chat-session.js';

export interface ScriptedReply {
  /** Streamed in these pieces (default: the reply in one piece). */
  chunks?: string[];
  text?: string;
  /** Pause before each chunk. */
  delayMs?: number;
  /** Fails before any text (or after the chunks, when there are some). */
  error?: ProviderError;
  usage?: Usage;
  /** After the chunks, wait until aborted (a reply that never ends on its own). */
  hang?: boolean;
  /** After the chunks, call these tools (the step ends with finish reason tool-calls). */
  toolCalls?: Array<{ id?: string; name: string; arguments: Record<string, unknown> }>;
}

export interface FakeModel extends LanguageModel {
  requests: ModelRequest[];
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/** A model that answers from a script; with none left it says `reply from provider:model`. */
export function fakeModel(provider: string, modelId: string, script: ScriptedReply[] = []): FakeModel {
  const requests: ModelRequest[] = [];
  const model: FakeModel = {
    provider,
    modelId,
    requests,
    async *stream(request, options = {}): AsyncIterable<StreamPart> {
      requests.push(request);
      const reply = script.shift() ?? { text: `reply from ${provider}:${modelId}` };
      const chunks = reply.chunks ?? (reply.text !== undefined ? [reply.text] : []);
      const signal = options.signal;
      for (const chunk of chunks) {
        if (reply.delayMs) await sleep(reply.delayMs, signal);
        if (signal?.aborted) throw signal.reason;
        yield { type: 'text-delta', text: chunk };
      }
      if (reply.hang) await sleep(60_000, signal);
      if (reply.error) {
        yield { type: 'error', error: reply.error };
        return;
      }
      const text = chunks.join('');
      for (const [index, call] of (reply.toolCalls ?? []).entries()) {
        yield {
          type: 'tool-call',
          toolCall: { id: call.id ?? `call_${requests.length}_${index}`, name: call.name, arguments: call.arguments },
        };
      }
      yield {
        type: 'finish',
        finishReason: reply.toolCalls?.length ? 'tool-calls' : 'stop',
        usage: reply.usage ?? { inputTokens: 10 * requests.length, outputTokens: Math.max(1, text.split(/\s+/).length) },
      };
    },
    async generate() {
      throw new Error('not used by the chat');
    },
  };
  return model;
}

const info = (name: string, aliases: string[], pricing?: ModelInfo['pricing']): ModelInfo => ({
  name,
  aliases,
  ...(pricing ? { pricing } : {}),
});

const provider = (name: string, defaultModel: string, models: ModelInfo[]): ProviderInfo => ({
  name,
  api: name === 'anthropic' ? 'anthropic' : 'openai',
  apiKeyName: `${name.toUpperCase()}_API_KEY`,
  baseURL: undefined,
  defaultModel,
  headers: {},
  models,
});

export function testCatalog(): ModelCatalog {
  return {
    providers: new Map([
      [
        'anthropic',
        provider('anthropic', 'claude-sonnet-4-5', [
          info('claude-sonnet-4-5', ['sonnet'], { input: 3, output: 15 }),
          info('claude-haiku-4-5', ['haiku'], { input: 1, output: 5 }),
        ]),
      ],
      ['openai', provider('openai', 'gpt-5-mini', [info('gpt-5-mini', ['mini'], { input: 0.25, output: 2 })])],
      ['ollama', provider('ollama', 'llama3.2', [info('llama3.2', [])])],
    ]),
    systemPrompts: {
      personas: { developer: 'You are a senior developer.', poet: 'You answer in verse.' },
      roles: { critique: 'Critique the input.' },
    },
  };
}

/** Resolves references against testCatalog() to fake models (one per provider:model, reused). */
export function fakeResolver(catalog = testCatalog(), scripts: Record<string, ScriptedReply[]> = {}) {
  const models = new Map<string, FakeModel>();
  const unavailable = new Set<string>();
  const resolve = async (ref: string): Promise<ResolvedModel> => {
    let providerInfo: ProviderInfo | undefined;
    let modelInfo: ModelInfo | undefined;
    const [head, tail] = ref.includes(':') ? ref.split(':') : [ref, undefined];
    providerInfo = catalog.providers.get(head!);
    if (providerInfo) modelInfo = providerInfo.models.find((model) => model.name === (tail ?? providerInfo!.defaultModel));
    if (!modelInfo) {
      for (const candidate of catalog.providers.values()) {
        const found = candidate.models.find((model) => model.aliases.includes(ref) || model.name === ref);
        if (found) [providerInfo, modelInfo] = [candidate, found];
      }
    }
    if (!providerInfo || !modelInfo) throw new ConfigError(`unknown model or alias "${ref}"`, { hint: 'llmo models lists them' });
    if (unavailable.has(providerInfo.name)) {
      const { AuthError } = await import('../errors.js');
      throw new AuthError(`no API key for ${providerInfo.name}`, {
        hint: `set ${providerInfo.apiKeyName}, or store one with: llmo auth add ${providerInfo.name}`,
      });
    }
    const label = `${providerInfo.name}:${modelInfo.name}`;
    let model = models.get(label);
    if (!model) {
      model = fakeModel(providerInfo.name, modelInfo.name, scripts[label] ?? []);
      models.set(label, model);
    }
    return { ref, provider: providerInfo.name, modelId: modelInfo.name, info: modelInfo, model };
  };
  return Object.assign(resolve, {
    models,
    /** The fake model for a label, created on first use. */
    async model(label: string) {
      return (await resolve(label)).model as FakeModel;
    },
    withoutKey(providerName: string) {
      unavailable.add(providerName);
    },
  });
}

/** A store in memory; `corrupt` ids list as problems and refuse to load. */
export function memoryStore(
  initial: Conversation[] = [],
  corrupt: string[] = [],
): ConversationStore & { saved: Conversation[]; files: Map<string, Conversation> } {
  const files = new Map(initial.map((conversation) => [conversation.id!, conversation]));
  const saved: Conversation[] = [];
  let counter = 0;
  const resolveId = async (input: string) => {
    const match = [...files.keys(), ...corrupt].filter((id) => id.startsWith(input));
    if (match.length !== 1) {
      const { UsageError } = await import('../errors.js');
      throw new UsageError(`no conversation "${input}"`, { hint: 'llmo conversations list shows their ids' });
    }
    return match[0]!;
  };
  return {
    directory: '/memory',
    saved,
    files,
    async list() {
      const conversations = [...files.values()].sort((left, right) => right.updated_at.localeCompare(left.updated_at)).map(summarize);
      return { conversations, problems: corrupt.map((id) => ({ file: `/memory/${id}.json`, reason: 'not valid JSON' })) };
    },
    async newest(limit) {
      const { conversations, problems } = await this.list();
      return { conversations: conversations.slice(0, limit), total: conversations.length, problems };
    },
    async load(input) {
      const id = await resolveId(input);
      if (corrupt.includes(id))
        throw new ConfigError(`conversation ${id} cannot be read: ${new CorruptConversation('not valid JSON').message}`);
      return files.get(id)!;
    },
    async latest() {
      return [...files.values()].sort((left, right) => right.updated_at.localeCompare(left.updated_at))[0];
    },
    async save(conversation) {
      const id = conversation.id ?? `chat_20250101_1200${String(counter++).padStart(2, '0')}`;
      const stored = { ...conversation, id };
      files.set(id, stored);
      saved.push(stored);
      return { conversation: stored, file: `/memory/${id}.json` };
    },
    async remove(input) {
      const id = await resolveId(input);
      files.delete(id);
      return id;
    },
    resolveId,
    async reindex() {
      return { conversations: files.size, problems: 0 };
    },
  };
}

export function recordingClipboard(outcome?: CopyOutcome): Clipboard & { copied: string[] } {
  const copied: string[] = [];
  return {
    copied,
    async copy(text) {
      copied.push(text);
      return outcome ?? { copied: true, method: 'test-clip' };
    },
  };
}

export interface TestServicesOptions {
  resolver?: ReturnType<typeof fakeResolver>;
  store?: ConversationStore;
  clipboard?: Clipboard;
  markdown?: MarkdownRenderer;
  rawByDefault?: boolean;
  /** Default: no retries. */
  retry?: RetryPolicy;
  tools?: ChatTools;
}

export function testServices(options: TestServicesOptions = {}): ChatServices & { resolver: ReturnType<typeof fakeResolver> } {
  const resolver = options.resolver ?? fakeResolver();
  const settings = buildSettings([]);
  settings.chat.markdown = !options.rawByDefault;
  return {
    resolver,
    resolveModel: resolver,
    accounting: noAccounting,
    catalog: testCatalog(),
    store: options.store ?? memoryStore(),
    retry: options.retry ?? { retries: 0, baseDelayMs: 0, maxDelayMs: 0 },
    settings,
    clipboard: options.clipboard ?? recordingClipboard(),
    loadMarkdown: async () => options.markdown ?? rawMarkdown,
    color: false,
    tools: options.tools,
  };
}

/** The starting model for a label, resolved through the services' resolver. */
export async function startModel(services: { resolveModel: ChatServices['resolveModel'] }, ref = 'anthropic'): Promise<ActiveModel> {
  return { ...activeModelOf(await services.resolveModel(ref)), ref };
}

/**
 * Renders like ink-testing-library (debug frames, fixed width) but also reports when the app
 * exits, and lets a test set the terminal's height.
 */
export function renderInk(tree: ReactElement, size: { columns?: number; rows?: number } = {}) {
  const frames: string[] = [];
  const stdout = Object.assign(new EventEmitter(), {
    columns: size.columns ?? 100,
    rows: size.rows ?? 30,
    isTTY: true,
    write: (frame: string) => {
      frames.push(frame);
      return true;
    },
  });
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    data: null as string | null,
    write(data: string) {
      stdin.data = data;
      stdin.emit('readable');
      stdin.emit('data', data);
    },
    setEncoding() {},
    setRawMode() {},
    resume() {},
    pause() {},
    ref() {},
    unref() {},
    read() {
      const { data } = stdin;
      stdin.data = null;
      return data;
    },
  });
  const instance = inkRender(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  let exited = false;
  const exit = instance.waitUntilExit().then(() => (exited = true));
  return {
    frames,
    stdin,
    /**
     * The last frame drawn, without ANSI styles (the screen clears of /clear are skipped, and
     * what Ink writes on exit after the last frame: a cursor to show, an empty write).
     */
    lastFrame: () =>
      stripVTControlCharacters(
        frames.filter((frame) => stripVTControlCharacters(frame) !== '' && !frame.startsWith('\u001b[2J')).at(-1) ?? '',
      ),
    exit,
    hasExited: () => exited,
    unmount: () => instance.unmount(),
  };
}
