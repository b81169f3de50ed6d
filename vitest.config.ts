import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // One Postgres, one Temporal dev server and one workflow bundle for the whole run.
    globalSetup: ['tests/support/global-setup.ts'],
    // Every test file's process appends and verifies audit with the run's key.
    setupFiles: ['tests/support/audit-key.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    // The first run on a machine may build the Temporal binaries (minutes); later runs reuse them.
    hookTimeout: 900_000,
    teardownTimeout: 60_000,
    reporters: ['default', './tests/support/summary-reporter.ts'],
  },
});
