import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // End-to-end tests spawn the built CLI and real tools (npm, pip, PostgreSQL).
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
})
