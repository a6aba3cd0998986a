import { describe, expect, it } from 'vitest';
import type { LanguageModel } from '../providers/spec.js';
import { loadInTurn } from './load-in-turn.js';

/** A model whose load() is recorded and finishes (or fails) only when the test says so. */
function lazyModel(provider: string, log: string[]) {
  let finish: (error?: Error) => void = () => {
    throw new Error(`${provider} is not loading`);
  };
  const model = {
    provider,
    modelId: 'm',
    stream: () => {
      throw new Error('not called');
    },
    generate: () => Promise.reject(new Error('not called')),
    load: () => {
      log.push(`load ${provider}`);
      return new Promise<void>((resolve, reject) => {
        finish = (error) => (error ? reject(error) : resolve());
      });
    },
  } satisfies LanguageModel;
  return { model, finish: (error?: Error) => finish(error) };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('loadInTurn', () => {
  it('loads one vendor at a time, in the order given, and each model waits only for its own vendor', async () => {
    const log: string[] = [];
    const mistral = lazyModel('mistral', log);
    const openai = lazyModel('openai', log);
    const loaded = loadInTurn([mistral.model, openai.model]);
    loaded.forEach((promise, index) => void promise.then(() => log.push(`ready ${index}`)));
    await settle();
    expect(log).toEqual(['load mistral']);

    mistral.finish();
    await settle();
    // Mistral's models may send as soon as its SDK is in; OpenAI's loading starts only then.
    expect(log.sort()).toEqual(['load mistral', 'load openai', 'ready 0']);

    openai.finish();
    await settle();
    expect(log.at(-1)).toBe('ready 1');
  });

  it('loads a vendor once for all its models', async () => {
    const log: string[] = [];
    const first = lazyModel('gemini', log);
    const second = lazyModel('gemini', log);
    const loaded = loadInTurn([first.model, second.model]);
    await settle();
    first.finish();
    await Promise.all(loaded);
    expect(log).toEqual(['load gemini']);
  });

  it('goes on to the next vendor when one fails to load, and never rejects', async () => {
    const log: string[] = [];
    const broken = lazyModel('anthropic', log);
    const openai = lazyModel('openai', log);
    const loaded = loadInTurn([broken.model, openai.model, undefined]);
    await settle();
    broken.finish(new Error('no SDK'));
    await settle();
    openai.finish();
    await expect(Promise.all(loaded)).resolves.toEqual([undefined, undefined, undefined]);
    expect(log).toEqual(['load anthropic', 'load openai']);
  });
});
