import { defineConfig } from 'vitest/config';

/** Set by .ci/run: also write a JSON report there, from which CI prints its closing line. */
const jsonReport = process.env.TEAMBOT_TEST_REPORT;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    ...(jsonReport ? { reporters: ['default', 'json'], outputFile: { json: jsonReport } } : {}),
  },
});
