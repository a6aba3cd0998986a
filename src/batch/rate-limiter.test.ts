import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

/** A clock that only moves when the limiter sleeps, so pacing is exact and instant. */
function virtualClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

describe('RateLimiter', () => {
  it('spreads requests evenly at the requests-per-minute rate', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ rpm: 600, now: clock.now, sleep: clock.sleep });
    const starts: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      await limiter.acquire(1);
      starts.push(clock.now());
    }
    expect(starts).toEqual([0, 100, 200, 300]);
  });

  it('waits for tokens to refill at the tokens-per-minute rate', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ tpm: 6000, now: clock.now, sleep: clock.sleep });
    await limiter.acquire(6000);
    await limiter.acquire(600);
    // 600 tokens at 6,000 a minute take 6 s to come back.
    expect(clock.now()).toBe(6000);
  });

  it("holds every start for a 429's retry-after and slows down, then recovers with successes", async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ rpm: 1000, now: clock.now, sleep: clock.sleep });
    await limiter.acquire(1);
    limiter.rateLimited(2000);
    expect(limiter.currentRpm).toBe(750);
    await limiter.acquire(1);
    expect(clock.now()).toBe(2000);
    for (let index = 0; index < 100; index += 1) limiter.succeeded();
    expect(limiter.currentRpm).toBe(1000);
  });
});
