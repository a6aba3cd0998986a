/**
 * A LanguageModel for orchestrator unit tests: replies come from a function of the request,
 * stream in chunks, honour the abort signal the way the real adapters do (throwing an
 * AbortError), and every request is recorded.
 */
import {
  messageText,
  ProviderUnavailableError,
  type CallOptions,
  type LanguageModel,
  type ModelRequest,
  type StreamPart,
} from '../providers/spec.js';
import type { ModelResolver, ResolvedModel } from './call-model.js';

export type FakeReply =
  | string
  | { error: 'unavailable' }
  | { text: string; delayMs?: number }
  /** A step that calls tools (ids default to `call_<n>`), with optional text before the calls. */
  | { toolCalls: Array<{ id?: string; name: string; arguments: Record<string, unknown> }>; text?: string };

export interface FakeCall {
  provider: string;
  modelId: string;
  request: ModelRequest;
  aborted: boolean;
}

export interface FakeModels {
  resolve: ModelResolver;
  calls: FakeCall[];
  /** The user message of each call, in order. */
  prompts(): string[];
  /** The most calls that were streaming at the same moment. */
  peakInFlight(): number;
  /** Resolves once a call to `ref` has started streaming: a signal for tests to act on, not a sleep. */
  started(ref: string): Promise<void>;
  /** Resolves once a call to `ref` has ended, answered or not. */
  finished(ref: string): Promise<void>;
}

const sleep = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException('aborted', 'AbortError'));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new DOMException('aborted', 'AbortError'));
      },
      { once: true },
    );
  });

/**
 * `reply(ref, request, callNumber)` decides each answer: text, a delayed text, or a 503.
 * References resolve as `provider:model` (or `provider` alone, model "default").
 */
export function fakeModels(reply: (ref: string, request: ModelRequest, call: number) => FakeReply): FakeModels {
  const calls: FakeCall[] = [];
  const counts = new Map<string, number>();
  let inFlight = 0;
  let peak = 0;
  const waiting: Array<{ ref: string; moment: 'started' | 'finished'; resolve: () => void }> = [];
  const happened = new Set<string>();
  const signal = (ref: string, moment: 'started' | 'finished') => {
    happened.add(`${moment} ${ref}`);
    for (const waiter of waiting.filter((entry) => entry.ref === ref && entry.moment === moment)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const when = (ref: string, moment: 'started' | 'finished') =>
    new Promise<void>((resolve) => {
      if (happened.has(`${moment} ${ref}`)) resolve();
      else waiting.push({ ref, moment, resolve });
    });
  let toolCallCount = 0;
  const resolve: ModelResolver = async (ref) => {
    const [provider, modelId = 'default'] = ref.includes(':') ? [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)] : [ref];
    const model: LanguageModel = {
      provider: provider!,
      modelId,
      async *stream(request: ModelRequest, options: CallOptions = {}): AsyncIterable<StreamPart> {
        const call: FakeCall = { provider: provider!, modelId, request, aborted: false };
        calls.push(call);
        const count = (counts.get(ref) ?? 0) + 1;
        counts.set(ref, count);
        const answer = reply(ref, request, count);
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        signal(ref, 'started');
        try {
          if (typeof answer === 'object' && 'error' in answer) {
            yield {
              type: 'error',
              error: new ProviderUnavailableError(`${provider}: 503 overloaded`, { provider: provider!, status: 503 }),
            };
            return;
          }
          const text = typeof answer === 'string' ? answer : (answer.text ?? '');
          await sleep(typeof answer === 'object' && 'delayMs' in answer ? (answer.delayMs ?? 1) : 1, options.signal);
          if (text !== '') for (const chunk of text.match(/\s*\S+/g) ?? [text]) yield { type: 'text-delta', text: chunk };
          if (typeof answer === 'object' && 'toolCalls' in answer) {
            toolCallCount = 0;
            for (const call of answer.toolCalls) {
              toolCallCount += 1;
              const id = call.id ?? `call_${calls.length}_${toolCallCount}`;
              yield { type: 'tool-call-start', id, name: call.name };
              yield { type: 'tool-call', toolCall: { id, name: call.name, arguments: call.arguments } };
            }
            yield { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 10, outputTokens: 5 } };
            return;
          }
          yield { type: 'finish', finishReason: 'stop', usage: { inputTokens: 10, outputTokens: 5 } };
        } catch (error) {
          call.aborted = Boolean(options.signal?.aborted);
          throw error;
        } finally {
          inFlight -= 1;
          signal(ref, 'finished');
        }
      },
      async generate() {
        throw new Error('not used');
      },
    };
    const resolved: ResolvedModel = { ref, provider: provider!, modelId, info: undefined, model };
    return resolved;
  };
  return {
    resolve,
    calls,
    peakInFlight: () => peak,
    started: (ref) => when(ref, 'started'),
    finished: (ref) => when(ref, 'finished'),
    prompts: () =>
      calls.map((call) =>
        call.request.messages
          .filter((message) => message.role === 'user')
          .map((message) => messageText(message))
          .join('\n'),
      ),
  };
}
