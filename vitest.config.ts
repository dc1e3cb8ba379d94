import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    // Loading ONNX sessions and building fixtures can take seconds on a 2-core CI runner.
    testTimeout: 60_000,
    // The first run on a machine builds the offline model (~10 s, more on a slow disk).
    hookTimeout: 120_000,
  },
});
