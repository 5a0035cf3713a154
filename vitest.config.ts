import { defineConfig } from 'vitest/config';

// The same suites run against the embedded database (default) and a real PostgreSQL server
// (TEST_DATABASE=postgres); scripts/test.mjs runs both.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 240_000,
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
  },
});
