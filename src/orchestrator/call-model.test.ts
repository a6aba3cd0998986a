import { describe, expect, it } from 'vitest';
import { BudgetError, InterruptedError } from '../errors.js';
import { BadRequestError, ProviderUnavailableError, type GenerateResult, type LanguageModel, type StreamPart } from '../providers/spec.js';
import type { Accounting, PlannedCall, UsageEntry } from '../usage/accounting.js';
import { callModel, type ResolvedModel } from './call-model.js';

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException('aborted', 'AbortError'));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('aborted', 'AbortError'));
    });
  });

/** A model that streams `pieces`, waiting `gapMs` before each, then finishes (or fails). */
function streaming(pieces: string[], gapMs: number, end: StreamPart = finish): LanguageModel {
  return {
    provider: 'test',
    modelId: 'stream',
    async *stream(_request, options = {}) {
      for (const text of pieces) {
        await sleep(gapMs, options.signal);
        yield { type: 'text-delta', text };
      }
      yield end;
    },
    async generate(): Promise<GenerateResult> {
      throw new Error('not used');
    },
  };
}

const finish: StreamPart = {
  type: 'finish',
  finishReason: 'stop',
  usage: { inputTokens: 1000, outputTokens: 500, cachedInputTokens: 200 },
};

function resolved(model: LanguageModel): ResolvedModel {
  return {
    ref: 'test',
    provider: 'test',
    modelId: model.modelId,
    model,
    info: { name: model.modelId, aliases: [], pricing: { input: 2, output: 10, cachedInput: 0.2 } },
  };
}

function accounting(refuse = false) {
  const checked: PlannedCall[][] = [];
  const recorded: UsageEntry[] = [];
  const value: Accounting = {
    async checkBudget(calls) {
      checked.push([...calls]);
      if (refuse) throw new BudgetError('over budget');
    },
    async record(entry) {
      recorded.push(entry);
    },
  };
  return { value, checked, recorded };
}

const retry = { retries: 0, baseDelayMs: 0, maxDelayMs: 0 };
const request = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe('callModel', () => {
  it('with yieldEveryMs, lets timers and input in while a reply that is all buffered streams', async () => {
    // Parts that are already there (a fast reply, read from the socket's buffer) come in microtasks only.
    const buffered: LanguageModel = {
      ...streaming([], 0),
      async *stream() {
        for (let index = 0; index < 2000; index += 1) yield { type: 'text-delta', text: 'word ' };
        yield finish;
      },
    };
    const partsBeforeTurn = async (yieldEveryMs: number | undefined) => {
      let parts = 0;
      let seen: number | undefined;
      await callModel({
        resolved: resolved(buffered),
        request,
        source: { kind: 'ask' },
        accounting: accounting().value,
        retry,
        yieldEveryMs,
        onText: () => {
          parts += 1;
          if (parts === 1) setImmediate(() => (seen = parts));
        },
      });
      return seen ?? parts;
    };
    expect(await partsBeforeTurn(undefined)).toBe(2000); // the event loop waited for the whole reply
    expect(await partsBeforeTurn(0)).toBeLessThan(10);
  });

  it('streams text to the caller, prices the usage and records one usage entry', async () => {
    const books = accounting();
    const deltas: string[] = [];
    const result = await callModel({
      resolved: resolved(streaming(['a', 'b', 'c'], 1)),
      request,
      source: { kind: 'ask' },
      accounting: books.value,
      retry,
      onText: (delta) => deltas.push(delta),
    });
    expect(deltas).toEqual(['a', 'b', 'c']);
    expect(result).toMatchObject({ status: 'ok', text: 'abc', finishReason: 'stop' });
    // 800 fresh input × $2 + 200 cached × $0.2 + 500 output × $10, per million.
    expect(result.costUsd).toBeCloseTo((800 * 2 + 200 * 0.2 + 500 * 10) / 1e6, 12);
    expect(books.checked).toHaveLength(1);
    expect(books.recorded).toEqual([
      expect.objectContaining({ provider: 'test', status: 'ok', costUsd: result.costUsd, source: { kind: 'ask' } }),
    ]);
  });

  it('refuses before the request when the budget says no, and records nothing', async () => {
    const books = accounting(true);
    let streamed = false;
    const model = streaming([], 0);
    const spy: LanguageModel = {
      ...model,
      stream: (...args) => {
        streamed = true;
        return model.stream(...args);
      },
    };
    await expect(callModel({ resolved: resolved(spy), request, source: { kind: 'ask' }, accounting: books.value, retry })).rejects.toThrow(
      BudgetError,
    );
    expect(streamed).toBe(false);
    expect(books.recorded).toEqual([]);
  });

  it('times out on silence, not on length: a slow steady stream finishes, a stalled one fails', async () => {
    const books = accounting();
    const steady = await callModel({
      resolved: resolved(streaming(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'], 40)),
      request,
      source: { kind: 'ask' },
      accounting: books.value,
      retry,
      timeoutMs: 200,
    });
    expect(steady.status).toBe('ok');
    expect(steady.durationMs).toBeGreaterThan(350);

    const stalled = await callModel({
      resolved: resolved(streaming(['1', '2'], 700)),
      request,
      source: { kind: 'ask' },
      accounting: books.value,
      retry,
      timeoutMs: 200,
    });
    expect(stalled.status).toBe('error');
    expect(stalled.error).toBeInstanceOf(ProviderUnavailableError);
    expect(stalled.error?.message).toBe('test: no response for 200 ms; gave up');
  });

  it('keeps the partial text of a failed stream and says why', async () => {
    const failure = new ProviderUnavailableError('test: the response was cut off mid-stream', { provider: 'test' });
    const result = await callModel({
      resolved: resolved(streaming(['par', 'tial'], 1, { type: 'error', error: failure })),
      request,
      source: { kind: 'chat' },
      accounting: accounting().value,
      retry,
    });
    expect(result).toMatchObject({ status: 'error', text: 'partial', error: failure });
  });

  it('tells a cancel by the caller from a failure', async () => {
    const controller = new AbortController();
    const books = accounting();
    // 'a' at once, then an hour's wait for 'b': only the cancel, made once 'a' has arrived, ends it.
    const slow: LanguageModel = {
      ...streaming([], 0),
      async *stream(_request, options = {}) {
        yield { type: 'text-delta', text: 'a' };
        await sleep(3_600_000, options.signal);
        yield { type: 'text-delta', text: 'b' };
        yield finish;
      },
    };
    const result = await callModel({
      resolved: resolved(slow),
      request,
      source: { kind: 'chat' },
      accounting: books.value,
      retry,
      signal: controller.signal,
      onText: () => controller.abort(),
    });
    expect(result.status).toBe('aborted');
    expect(result.text).toBe('a');
    expect(result.error).toBeInstanceOf(InterruptedError);
    expect(books.recorded[0]?.status).toBe('aborted');
  });

  it('does not retry a request the provider refused as bad', async () => {
    let calls = 0;
    const refusing: LanguageModel = {
      ...streaming([], 0),
      async *stream() {
        calls += 1;
        yield { type: 'error', error: new BadRequestError('test: prompt too long', { provider: 'test', status: 400 }) };
      },
    };
    const result = await callModel({
      resolved: resolved(refusing),
      request,
      source: { kind: 'ask' },
      accounting: accounting().value,
      retry: { ...retry, retries: 3 },
    });
    expect(result.status).toBe('error');
    expect(calls).toBe(1);
  });
});

describe('callModel with tools', () => {
  it('collects the tool calls the model asks for, streamed or not', async () => {
    const toolCall = { id: 'call_1', name: 'fs.read_file', arguments: { path: 'a' } };
    const model: LanguageModel = {
      provider: 'test',
      modelId: 'tools',
      async *stream() {
        yield { type: 'tool-call-start', id: 'call_1', name: 'fs.read_file' };
        yield { type: 'tool-call-delta', id: 'call_1', argumentsDelta: '{"path":"a"}' };
        yield { type: 'tool-call', toolCall };
        yield { type: 'finish', finishReason: 'tool-calls', usage: undefined };
      },
      async generate() {
        return { text: '', reasoning: '', toolCalls: [toolCall], finishReason: 'tool-calls', usage: undefined, warnings: [] };
      },
    };
    const common = { resolved: resolved(model), request, source: { kind: 'ask' as const }, accounting: accounting().value, retry };
    expect(await callModel(common)).toMatchObject({ status: 'ok', toolCalls: [toolCall], finishReason: 'tool-calls' });
    expect(await callModel({ ...common, stream: false })).toMatchObject({ status: 'ok', toolCalls: [toolCall] });
  });
});
