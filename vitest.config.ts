import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    // One private TMPDIR for the run: nothing is left behind in /tmp (test/helpers/private-tmp.ts).
    globalSetup: ['./test/helpers/private-tmp.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Most end-to-end tests wait on a child llmo or a fake provider's delay: more workers than
    // cores keep both busy while some wait (beside two CPU hogs, `npm test` took 393 s with two
    // workers and 314 s with three).
    maxWorkers: 4,
    // Ink renders only a final frame when it believes it runs in CI (is-in-ci reads CI when ink
    // loads); the component tests are about what a person sees, so they must see live frames.
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
    // The default summary, then one plain `N passed, N failed` line for CI logs.
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
