import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Tests measure nothing about speed (benchmarks do), so they may share the machine's cores.
    pool: 'forks',
  },
});
