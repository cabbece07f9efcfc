import { defineConfig } from 'vitest/config';

/** Unit tests live beside the code as *.test.ts and run in plain Node. */
export default defineConfig({
  test: {
    include: ['src-shared/**/*.test.ts', 'src-main/**/*.test.ts', 'src-renderer/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores: real sockets, Xvfb and scrypt run better with few workers.
    maxWorkers: 2,
  },
});
