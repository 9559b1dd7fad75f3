import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { inject, onTestFailed, test as base, type TestContext } from 'vitest';
import { MiniZkClient } from './mini-zk-client.js';
import { timing } from './timing.js';
import type { ZkEnsemble } from './zk-ensemble.js';

declare module 'vitest' {
  export interface ProvidedContext {
    zkStandalone: string;
    zkEnsemble3: string;
    zkServerLogFiles: string[];
  }
}

const LOG_TAIL_LINES = 150;

function tail(text: string, lines: number): string {
  const all = text.split('\n');
  return all.slice(Math.max(0, all.length - lines)).join('\n');
}

function provided(key: 'zkStandalone' | 'zkEnsemble3'): string {
  const value: string | undefined = inject(key);
  if (value === undefined) {
    throw new Error(
      `inject('${key}') is empty: run this test in the "integration" or "chaos" vitest project, whose ` +
        'globalSetup is @zookit/test-harness/src/global-setup.ts',
    );
  }
  return value;
}

/**
 * Creates a random `/t-<uuid>` node on `connectString`'s server and returns its path and a function that
 * deletes it recursively. For tests that need a namespace outside the fixtures.
 *
 * @example
 * ```ts
 * const { path, remove } = await createNamespace(ensemble.connectString);
 * try { ... } finally { await remove(); }
 * ```
 */
export async function createNamespace(
  connectString: string,
): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = `/t-${randomUUID()}`;
  const probe = await MiniZkClient.connect({ connectString });
  try {
    await probe.create(path);
  } finally {
    await probe.close();
  }
  const remove = async (): Promise<void> => {
    const cleaner = await MiniZkClient.connect({ connectString });
    try {
      await cleaner.deleteRecursive(path);
    } finally {
      await cleaner.close();
    }
  };
  return { path, remove };
}

/**
 * Registers an `onTestFailed` hook that prints the last lines of each server's log to stderr under the
 * failing test's name. Call it inside a test, or pass the test's context.
 *
 * @example
 * ```ts
 * it('survives a leader kill', async (ctx) => {
 *   await using ensemble = await ZkEnsemble.start({ servers: 3 });
 *   attachServerLogsOnFailure(ensemble, ctx);
 * });
 * ```
 */
export function attachServerLogsOnFailure(
  source: Pick<ZkEnsemble, 'logs' | 'size'> | readonly string[],
  context?: Pick<TestContext, 'onTestFailed'>,
): void {
  const register = context?.onTestFailed ?? onTestFailed;
  register((failed) => {
    const sections = Array.isArray(source)
      ? (source as readonly string[]).map((file) => ({
          name: file,
          text: existsSync(file) ? readFileSync(file, 'utf8') : '(log file gone)',
        }))
      : [...Array((source as ZkEnsemble).size).keys()].map((i) => ({
          name: `zk${i + 1}`,
          text: (source as ZkEnsemble).logs(i),
        }));
    const body = sections
      .map((s) => `==== ${s.name} ====\n${tail(s.text, LOG_TAIL_LINES)}`)
      .join('\n');
    // Annotations are refused once a test has failed, so the logs go to stderr (kazoo's way).
    process.stderr.write(
      `\n[${failed.task.name}] ZooKeeper server logs (last ${LOG_TAIL_LINES} lines each):\n${body}\n`,
    );
  });
}

/**
 * Fixtures added by {@link test}.
 *
 * @example
 * ```ts
 * test('uses a namespace', ({ namespace }: ZkFixtures) => console.log(namespace));
 * ```
 */
export interface ZkFixtures {
  /** Connect string of the run's shared standalone server (no chroot). */
  zkStandalone: string;
  /** Connect string of the run's shared 3-server ensemble (no chroot). */
  zkEnsemble3: string;
  /** A fresh `/t-<uuid>` node on the standalone server, deleted recursively after the test. */
  namespace: string;
  /** The standalone server chrooted to {@link ZkFixtures.namespace}, e.g. `127.0.0.1:21001/t-…`. */
  connectString: string;
  /** A fresh `/t-<uuid>` node on the 3-server ensemble, deleted recursively after the test. */
  ensembleNamespace: string;
  /** The 3-server ensemble chrooted to {@link ZkFixtures.ensembleNamespace}. */
  ensembleConnectString: string;
  /** Scaled timeouts (`ZK_TEST_TIME_MULTIPLIER`) and `waitFor`. */
  timing: typeof timing;
  /** Automatic: a failing test gets the shared servers' log tails attached. */
  serverLogs: undefined;
}

// Vitest tears fixtures down BEFORE it runs `onTestFinished` hooks, which is where tests close their clients
// and recipes. Removing the namespace in the fixture's teardown therefore raced live recipes that re-create
// their nodes (a LeaderLatch whose node vanishes makes a new one), and the removal failed with NotEmpty. The
// hooks run as a stack and a fixture is set up before the test body registers anything, so a hook
// registered here runs after every hook the test registers.
function removeAfterEverythingElse(
  onTestFinished: TestContext['onTestFinished'],
  remove: () => Promise<void>,
): void {
  onTestFinished(() => remove());
}

/**
 * Vitest's `test` with ZooKeeper fixtures: every fixture is lazy, so a test pays only for what it names.
 *
 * @example
 * ```ts
 * import { test } from '@zookit/test-harness/vitest';
 * test('creates a node', async ({ connectString, expect }) => {
 *   const client = createZkClient({ connectString });
 *   ...
 * });
 * ```
 */
export const test = base.extend<ZkFixtures>({
  // Vitest reads each fixture's dependencies from its destructuring pattern, so `{}` is required.
  zkStandalone: async ({}, use) => use(provided('zkStandalone')),
  zkEnsemble3: async ({}, use) => use(provided('zkEnsemble3')),
  namespace: async ({ zkStandalone, onTestFinished }, use) => {
    const { path, remove } = await createNamespace(zkStandalone);
    removeAfterEverythingElse(onTestFinished, remove);
    await use(path);
  },
  connectString: async ({ zkStandalone, namespace }, use) => use(`${zkStandalone}${namespace}`),
  ensembleNamespace: async ({ zkEnsemble3, onTestFinished }, use) => {
    const { path, remove } = await createNamespace(zkEnsemble3);
    removeAfterEverythingElse(onTestFinished, remove);
    await use(path);
  },
  ensembleConnectString: async ({ zkEnsemble3, ensembleNamespace }, use) =>
    use(`${zkEnsemble3}${ensembleNamespace}`),
  timing: async ({}, use) => use(timing),
  serverLogs: [
    async ({ onTestFailed: register }, use) => {
      const files: string[] | undefined = inject('zkServerLogFiles');
      if (files !== undefined && files.length > 0)
        attachServerLogsOnFailure(files, { onTestFailed: register });
      await use(undefined);
    },
    { auto: true },
  ],
});

export { timing };
/**
 * Alias of {@link test}.
 *
 * @example
 * ```ts
 * it('reads the namespace', ({ namespace, expect }) => expect(namespace).toMatch(/^\/t-/));
 * ```
 */
export const it = test;
