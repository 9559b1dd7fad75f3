import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the "source" export condition, so tests
// need no build step.
const conditions = ['source', 'node', 'import', 'default'];

const integration = ['packages/*/test/**/*.integration.test.ts', 'test-harness/test/**/*.integration.test.ts'];
const chaos = ['packages/*/test/**/*.chaos.test.ts', 'test-harness/test/**/*.chaos.test.ts'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    // Unhandled rejections fail the run: background errors must go to errors$, never escape.
    dangerouslyIgnoreUnhandledErrors: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'test-harness/test/**/*.test.ts'],
          exclude: [...integration, ...chaos],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: integration,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          name: 'chaos',
          include: chaos,
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
