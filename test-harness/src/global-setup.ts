import { dirname } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createTestPki, type TestPki } from './test-pki.js';
import { ZkEnsemble } from './zk-ensemble.js';

/**
 * A server of a shared ensemble that a test may SIGKILL from its worker process.
 *
 * @example
 * ```ts
 * const { pid, marker } = inject('zkDegradedVictim');
 * if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) process.kill(pid, 'SIGKILL');
 * ```
 */
export interface ZkKillableServer {
  /** The JVM's pid when the run started. */
  readonly pid: number;
  /**
   * A string in the JVM's command line (its own directory); check `/proc/<pid>/cmdline` contains it
   * before killing, so a reused pid never hits another process.
   */
  readonly marker: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connect string of the run's shared standalone server (no chroot). */
    zkStandalone: string;
    /** Connect string of the run's shared 3-server ensemble (no chroot). */
    zkEnsemble3: string;
    /** Secure (TLS-only) connect string of the run's shared standalone TLS server. */
    zkTls: string;
    /** CA certificate (PEM) that signed the TLS server's certificate. */
    zkTlsCaPem: string;
    /** The only host name the TLS server's certificate is valid for. */
    zkTlsServerName: string;
    /** Connect string (all 3 servers) of the ensemble that loses {@link ProvidedContext.zkDegradedVictim}. */
    zkDegraded3: string;
    /** Connect string of the 2 servers of the degraded ensemble that stay up (leader first). */
    zkDegraded3Survivors: string;
    /** The follower of the degraded ensemble that a test kills mid-run. */
    zkDegradedVictim: ZkKillableServer;
    /**
     * Log files of the shared standalone server and 3-server ensemble (standalone first), for the failure
     * reports of the harness's fixtures, which use only those two.
     */
    zkServerLogFiles: string[];
  }
}

interface Servers {
  readonly standalone: ZkEnsemble;
  readonly ensemble: ZkEnsemble;
  readonly tls: ZkEnsemble;
  readonly degraded: ZkEnsemble;
  readonly pki: TestPki;
  /** The degraded ensemble's follower to kill, and the two others (leader first). */
  readonly victim: number;
  readonly survivors: readonly number[];
  readonly victimPid: number | undefined;
}

interface Shared {
  readonly servers: Promise<Servers>;
  users: number;
}

// Projects (integration, chaos) may load this module separately; globalThis makes them share one set of
// servers per run.
const KEY = Symbol.for('@zookit/test-harness/shared-servers');
const registry = globalThis as { [KEY]?: Shared };

async function startShared(): Promise<Servers> {
  const options = { extendedTypes: true, containerCheckIntervalMs: 1_000 } as const;
  const pki = createTestPki();
  const results = await Promise.allSettled([
    ZkEnsemble.start(options),
    ZkEnsemble.start({ ...options, servers: 3 }),
    ZkEnsemble.start({ ...options, tls: pki.serverTls }),
    ZkEnsemble.start({ ...options, servers: 3 }),
  ]);
  const [standalone, ensemble, tls, degraded] = results;
  if (
    standalone.status === 'fulfilled' &&
    ensemble.status === 'fulfilled' &&
    tls.status === 'fulfilled' &&
    degraded.status === 'fulfilled'
  ) {
    try {
      const { victim, survivors } = await victimOf(degraded.value);
      return {
        standalone: standalone.value,
        ensemble: ensemble.value,
        tls: tls.value,
        degraded: degraded.value,
        pki,
        victim,
        survivors,
        victimPid: degraded.value.pid(victim),
      };
    } catch (error) {
      results.unshift({ status: 'rejected', reason: error });
    }
  }
  for (const result of results) if (result.status === 'fulfilled') await result.value.close();
  pki.remove();
  throw (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
}

async function closeAll(servers: Servers): Promise<void> {
  await Promise.all(
    [servers.standalone, servers.ensemble, servers.tls, servers.degraded].map((e) => e.close()),
  );
  servers.pki.remove();
}

// The victim is a follower and tests reach the ensemble through the two others until it is dead, so
// killing it disconnects no client and forces no election: the run continues on 2 of 3 servers.
async function victimOf(
  degraded: ZkEnsemble,
): Promise<{ victim: number; survivors: readonly number[] }> {
  const leader = await degraded.leaderIndex();
  if (leader === undefined) throw new Error('the degraded-target ensemble has no leader');
  const followers = [0, 1, 2].filter((i) => i !== leader);
  const victim = followers[followers.length - 1] ?? 0;
  return { victim, survivors: [leader, ...followers.filter((i) => i !== victim)] };
}

/**
 * Vitest `globalSetup`: starts, in parallel, ONE standalone server, ONE 3-server ensemble, ONE standalone
 * TLS server (throwaway PKI) and ONE 3-server ensemble meant to lose a follower mid-run (all with TTL
 * nodes and 1 s container checks), provides their connect strings (`zkStandalone`, `zkEnsemble3`,
 * `zkTls` + `zkTlsCaPem` + `zkTlsServerName`, `zkDegraded3` + `zkDegraded3Survivors` +
 * `zkDegradedVictim`) and `zkServerLogFiles`, and stops them when the run ends.
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
  let servers: Servers;
  try {
    servers = await shared.servers;
  } catch (error) {
    delete registry[KEY];
    throw error;
  }
  const { standalone, ensemble, tls, degraded, pki, victimPid } = servers;
  const victimLog = degraded.logPath(servers.victim);
  project.provide('zkStandalone', standalone.connectString);
  project.provide('zkEnsemble3', ensemble.connectString);
  project.provide('zkTls', tls.secureConnectString ?? '');
  project.provide('zkTlsCaPem', pki.caPem.toString('utf8'));
  project.provide('zkTlsServerName', pki.serverName);
  project.provide('zkDegraded3', degraded.connectString);
  project.provide(
    'zkDegraded3Survivors',
    servers.survivors.map((i) => degraded.connectStringFor(i)).join(','),
  );
  project.provide('zkDegradedVictim', {
    // -1 (the backend gives no pid, e.g. containers) makes the killing test fail loudly, never hit pid 0.
    pid: victimPid ?? -1,
    marker: victimLog === undefined ? '' : dirname(victimLog),
  });
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
    await closeAll(servers);
  };
}
