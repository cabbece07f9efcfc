import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests: real browser hosts, real Chromium (Debian's, never a downloaded one), real
 * Xvfb displays. Run through `npm run test:e2e`, which first enters a private network namespace.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  // Each test runs two hosts, two Chromiums and two X servers: one at a time on two cores.
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: process.env.RA_E2E_JSON ? [['list'], ['json', { outputFile: process.env.RA_E2E_JSON }]] : [['list']],
  outputDir: '../test-results/e2e',
  use: { trace: 'off', screenshot: 'off', video: 'off' },
});
