/**
 * Waiting for a positive signal instead of sleeping: polls `condition` until it holds, failing
 * with `what` after `timeoutMs` (generous: a busy machine is slow, never wrong).
 */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
