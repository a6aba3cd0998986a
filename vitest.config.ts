import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    // One private TMPDIR for the run: nothing is left behind in /tmp (test/helpers/private-tmp.ts).
    globalSetup: ['./test/helpers/private-tmp.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests spawn the built CLI; two cores do not like more than two at once.
    maxWorkers: 2,
    // Ink renders only a final frame when it believes it runs in CI (is-in-ci reads CI when ink
    // loads); the component tests are about what a person sees, so they must see live frames.
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
    // The default summary, then one plain `N passed, N failed` line for CI logs.
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
