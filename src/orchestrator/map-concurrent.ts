/**
 * Maps items through an async function with at most `concurrency` in flight, keeping results in
 * input order (p-map's contract). With `stopOnError: false` every item runs and the failures are
 * collected into one AggregateError at the end instead of the first one hiding the rest. An
 * aborted `signal` starts nothing new and rejects with the signal's reason; items already running
 * are the mapper's to cancel (it is handed the same signal).
 */
export interface MapConcurrentOptions {
  /** Default: Infinity. */
  readonly concurrency?: number;
  /** Default: true — reject with the first error, start nothing more. */
  readonly stopOnError?: boolean;
  readonly signal?: AbortSignal;
}

export function mapConcurrent<Item, Result>(
  items: Iterable<Item>,
  mapper: (item: Item, index: number) => Promise<Result>,
  options: MapConcurrentOptions = {},
): Promise<Result[]> {
  const { concurrency = Number.POSITIVE_INFINITY, stopOnError = true, signal } = options;
  if (!(concurrency === Number.POSITIVE_INFINITY || (Number.isInteger(concurrency) && concurrency >= 1))) {
    throw new TypeError(`concurrency must be a whole number from 1 up (or Infinity), got ${concurrency}`);
  }
  const list = [...items];
  return new Promise<Result[]>((resolve, reject) => {
    const results = new Array<Result>(list.length);
    const errors: unknown[] = [];
    let next = 0;
    let running = 0;
    let settled = false;

    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error !== undefined) reject(error);
      else if (errors.length) reject(new AggregateError(errors, `${errors.length} of ${list.length} failed`));
      else resolve(results);
    };
    const onAbort = () => finish(signal?.reason ?? new Error('aborted'));

    const launch = () => {
      if (settled) return;
      if (next >= list.length && running === 0) return finish();
      while (running < concurrency && next < list.length) {
        const index = next;
        next += 1;
        running += 1;
        Promise.resolve()
          .then(() => mapper(list[index]!, index))
          .then(
            (result) => {
              results[index] = result;
            },
            (error: unknown) => {
              if (stopOnError) finish(error);
              else errors.push(error);
            },
          )
          .finally(() => {
            running -= 1;
            launch();
          });
      }
    };

    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    launch();
  });
}
