import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { messageText, type LanguageModel, type StreamPart } from '../providers/spec.js';
import { prepareSchema } from '../structured/prepare-schema.js';
import type { Accounting, UsageEntry } from '../usage/accounting.js';
import type { ResolvedModel } from './call-model.js';
import { callStructured } from './call-structured.js';
import { fakeModels } from './fake-language-model.test-support.js';

function books() {
  const records: UsageEntry[] = [];
  const accounting: Accounting = {
    async checkBudget() {},
    async record(entry) {
      records.push(entry);
    },
  };
  return { accounting, records };
}

const retry = { retries: 0, baseDelayMs: 0, maxDelayMs: 0 };
const request = { messages: [{ role: 'user' as const, content: 'Who wrote it?' }] };

async function run(replies: string[], options: { repairs?: number; repairRef?: string } = {}) {
  let calls = 0;
  const models = fakeModels(() => {
    calls += 1;
    return replies[Math.min(calls, replies.length) - 1]!;
  });
  const { accounting, records } = books();
  const schema = await prepareSchema('name, born int');
  const result = await callStructured({
    resolved: await models.resolve('test:one'),
    ...(options.repairRef ? { repairModel: await models.resolve(options.repairRef) } : {}),
    request,
    source: { kind: 'ask' },
    accounting,
    retry,
    schema,
    repairs: options.repairs ?? 2,
  });
  return { result, models, records };
}

describe('callStructured', () => {
  it('asks in the native form and accepts a valid reply at once', async () => {
    const { result, models } = await run(['{"name": "Ada", "born": 1815}']);
    expect(result).toMatchObject({ valid: true, data: { name: 'Ada', born: 1815 }, issues: [], error: undefined });
    expect(result.calls).toHaveLength(1);
    expect(models.calls[0]!.request.responseFormat).toMatchObject({
      type: 'json',
      name: 'response',
      schema: { required: ['name', 'born'] },
    });
  });

  it('sends an invalid reply back with its problems, and sums usage over the attempts', async () => {
    const { result, models, records } = await run(['{"name": "Ada"}', 'Fixed: ```json\n{"name": "Ada", "born": 1815}\n```']);
    expect(result.valid).toBe(true);
    expect(result.data).toEqual({ name: 'Ada', born: 1815 });
    expect(result.calls).toHaveLength(2);
    expect(records).toHaveLength(2);
    expect(result.usage).toEqual({ inputTokens: 20, outputTokens: 10 });
    const repair = models.calls[1]!.request.messages;
    expect(repair.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(messageText(repair[1]!)).toBe('{"name": "Ada"}');
    expect(messageText(repair[2]!)).toContain("- /: must have required property 'born'");
  });

  it('repairs with the repair model when one is given', async () => {
    const { models } = await run(['{}', '{"name": "Ada", "born": 1815}'], { repairRef: 'test:fixer' });
    expect(models.calls.map((call) => call.modelId)).toEqual(['one', 'fixer']);
  });

  it('gives up after the last repair with a ValidationError listing the problems', async () => {
    const { result } = await run(['{"name": 1}'], { repairs: 1 });
    expect(result.calls).toHaveLength(2);
    expect(result.valid).toBe(false);
    expect(result.data).toEqual({ name: 1 });
    expect(result.error).toBeInstanceOf(ValidationError);
    expect(result.error!.message).toBe('test:one: 2 attempts did not match the schema: 2 problems');
    expect(result.error!.hint).toContain("/: must have required property 'born'");
    expect(result.error!.hint).toContain('/name: must be string');
  });

  it('with --repair 0, makes one call only', async () => {
    const { result } = await run(['no JSON here'], { repairs: 0 });
    expect(result.calls).toHaveLength(1);
    expect(result.issues).toEqual([{ path: '/', message: 'the reply holds no JSON object or array' }]);
  });

  it.each([
    ['length', /cut off at the output token limit .*not repaired/, /raise --max-tokens/],
    ['content-filter', /refused or stopped by the content filter; not repaired/, /a refusal is not a formatting mistake/],
  ] as const)('does not repair a reply that ended with %s, and says why', async (finishReason, message, hint) => {
    const cut: LanguageModel = {
      provider: 'test',
      modelId: 'short',
      async *stream(): AsyncIterable<StreamPart> {
        yield { type: 'text-delta', text: '{"name": "Ad' };
        yield { type: 'finish', finishReason, usage: { inputTokens: 5, outputTokens: 5 } };
      },
      async generate() {
        throw new Error('not used');
      },
    };
    const resolved: ResolvedModel = { ref: 'test:short', provider: 'test', modelId: 'short', info: undefined, model: cut };
    const { accounting, records } = books();
    const result = await callStructured({
      resolved,
      request,
      source: { kind: 'ask' },
      accounting,
      retry,
      schema: await prepareSchema('name'),
      repairs: 2,
    });
    expect(records).toHaveLength(1);
    expect(result.error!.message).toMatch(message);
    expect(result.error!.hint).toMatch(hint);
  });
});
