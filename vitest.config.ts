import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests spawn the built CLI; two cores do not like more than two at once.
    maxWorkers: 2,
    // The default summary, then one plain `N passed, N failed` line for CI logs.
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
