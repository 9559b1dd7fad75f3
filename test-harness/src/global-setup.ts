import type { TestProject } from 'vitest/node';
import { ZkEnsemble } from './zk-ensemble.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connect string of the run's shared standalone server (no chroot). */
    zkStandalone: string;
    /** Connect string of the run's shared 3-server ensemble (no chroot). */
    zkEnsemble3: string;
    /** Log files of the shared servers (standalone first), for failure reports. */
    zkServerLogFiles: string[];
  }
}

interface Shared {
  readonly servers: Promise<readonly [ZkEnsemble, ZkEnsemble]>;
  users: number;
}

// Projects (integration, chaos) may load this module separately; globalThis makes them share one set of
// servers per run.
const KEY = Symbol.for('@zookit/test-harness/shared-servers');
const registry = globalThis as { [KEY]?: Shared };

async function startShared(): Promise<readonly [ZkEnsemble, ZkEnsemble]> {
  const options = { extendedTypes: true, containerCheckIntervalMs: 1_000 } as const;
  const [standalone, ensemble] = await Promise.allSettled([
    ZkEnsemble.start(options),
    ZkEnsemble.start({ ...options, servers: 3 }),
  ]);
  if (standalone.status === 'fulfilled' && ensemble.status === 'fulfilled')
    return [standalone.value, ensemble.value];
  for (const result of [standalone, ensemble])
    if (result.status === 'fulfilled') await result.value.close();
  throw standalone.status === 'rejected'
    ? standalone.reason
    : (ensemble as PromiseRejectedResult).reason;
}

/**
 * Vitest `globalSetup`: starts ONE standalone server and ONE 3-server ensemble per run (in parallel, both
 * with TTL nodes and 1 s container checks), provides `zkStandalone`, `zkEnsemble3` and
 * `zkServerLogFiles`, and stops them when the run ends.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * { test: { name: 'integration', globalSetup: ['test-harness/src/global-setup.ts'] } }
 * // a test
 * const connectString = inject('zkStandalone');
 * ```
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = (registry[KEY] ??= { servers: startShared(), users: 0 });
  shared.users++;
  let standalone: ZkEnsemble;
  let ensemble: ZkEnsemble;
  try {
    [standalone, ensemble] = await shared.servers;
  } catch (error) {
    delete registry[KEY];
    throw error;
  }
  project.provide('zkStandalone', standalone.connectString);
  project.provide('zkEnsemble3', ensemble.connectString);
  project.provide(
    'zkServerLogFiles',
    [standalone, ensemble]
      .flatMap((e) => [...Array(e.size).keys()].map((i) => e.logPath(i) ?? ''))
      .filter((p) => p !== ''),
  );
  let tornDown = false;
  return async () => {
    if (tornDown) return;
    tornDown = true;
    if (--shared.users > 0) return;
    delete registry[KEY];
    await Promise.all([standalone.close(), ensemble.close()]);
  };
}
