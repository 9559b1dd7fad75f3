import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the "source" export condition, so tests
// need no build step.
const conditions = ['source', 'node', 'import', 'default'];

const integration = [
  'packages/*/test/**/*.integration.test.ts',
  'test-harness/test/**/*.integration.test.ts',
];
const chaos = ['packages/*/test/**/*.chaos.test.ts', 'test-harness/test/**/*.chaos.test.ts'];

// One standalone server and one 3-server ensemble per run, shared by both projects; tests get their
// connect strings through inject('zkStandalone' | 'zkEnsemble3') or the @zookit/test-harness/vitest fixtures.
const globalSetup = ['test-harness/src/global-setup.ts'];

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
          // Projects with different worker limits need distinct groups; they run in this order.
          sequence: { groupOrder: 0 },
          include: ['packages/*/test/**/*.test.ts', 'test-harness/test/**/*.test.ts'],
          exclude: [...integration, ...chaos],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: integration,
          globalSetup,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          name: 'chaos',
          sequence: { groupOrder: 2 },
          include: chaos,
          globalSetup,
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
