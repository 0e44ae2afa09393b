import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Each test file gets its own empty state folder (never the user's ~/.local/state).
    setupFiles: ['test/helpers/state-home.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // 2-core CI machines: keep workers few so end-to-end tests don't starve each other.
    maxWorkers: 2,
  },
});
