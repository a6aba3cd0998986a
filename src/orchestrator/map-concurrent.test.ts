import { describe, expect, it } from 'vitest';
import { mapConcurrent } from './map-concurrent.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapConcurrent', () => {
  it('keeps input order and never runs more than `concurrency` at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapConcurrent(
      [30, 10, 20, 5, 15],
      async (delay, index) => {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(delay);
        running -= 1;
        return index * 10;
      },
      { concurrency: 2 },
    );
    expect(results).toEqual([0, 10, 20, 30, 40]);
    expect(peak).toBe(2);
  });

  it('runs everything at once by default', async () => {
    let running = 0;
    let peak = 0;
    await mapConcurrent([1, 2, 3, 4, 5, 6], async () => {
      running += 1;
      peak = Math.max(peak, running);
      await sleep(5);
      running -= 1;
    });
    expect(peak).toBe(6);
  });

  it('collects every failure into an AggregateError when not stopping on the first', async () => {
    const seen: number[] = [];
    const promise = mapConcurrent(
      [1, 2, 3, 4],
      async (item) => {
        seen.push(item);
        if (item % 2 === 0) throw new Error(`bad ${item}`);
        return item;
      },
      { concurrency: 1, stopOnError: false },
    );
    await expect(promise).rejects.toBeInstanceOf(AggregateError);
    const error = (await promise.catch((caught: unknown) => caught)) as AggregateError;
    expect(error.errors.map((inner: Error) => inner.message)).toEqual(['bad 2', 'bad 4']);
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('rejects with the first error and starts nothing more by default', async () => {
    const seen: number[] = [];
    await expect(
      mapConcurrent(
        [1, 2, 3],
        async (item) => {
          seen.push(item);
          if (item === 1) throw new Error('first');
        },
        { concurrency: 1 },
      ),
    ).rejects.toThrow('first');
    // Whatever the rejection's continuations would start, they start before the next macrotask.
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([1]);
  });

  it('stops starting items when the signal aborts', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let firstDone = Promise.resolve();
    const promise = mapConcurrent(
      [1, 2, 3],
      (item) => {
        seen.push(item);
        controller.abort(new Error('stop'));
        firstDone = released;
        return released;
      },
      { concurrency: 1, signal: controller.signal },
    );
    await expect(promise).rejects.toThrow('stop');
    // The first item finishes after the abort; nothing new may start from its slot.
    release();
    await firstDone;
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([1]);
  });

  it('checks its options up front', () => {
    expect(() => mapConcurrent([1], async () => 1, { concurrency: 0 })).toThrow(TypeError);
  });
});
