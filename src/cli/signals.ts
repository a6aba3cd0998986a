import { setMaxListeners } from 'node:events';

/**
 * Ctrl-C aborts what is in flight: the first SIGINT (or SIGTERM, or SIGHUP when the terminal
 * goes away) aborts the returned signal, so requests are cancelled, partial results kept and the
 * interrupted call recorded at its estimated cost; a second one exits at once.
 */
export function abortOnInterrupt(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  // Every request in flight listens on this one signal: a batch at concurrency 64, parallel with
  // 20 models or a wide chain stage would otherwise warn of a listener leak.
  setMaxListeners(0, controller.signal);
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onSignal);
    },
  };
}
