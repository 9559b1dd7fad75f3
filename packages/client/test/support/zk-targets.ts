/**
 * The shared ZooKeeper servers the integration tests run against, started once per run by the harness's
 * global setup and handed over through `inject`: a standalone server, a healthy 3-node ensemble, a
 * standalone TLS-only server, and a 3-node ensemble that loses a server mid-run (see
 * {@link degradeOnce}).
 */
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';

/** One shared server set. */
export interface ZkTarget {
  /** Label used in test names. */
  readonly name: 'standalone' | 'ensemble3' | 'tls' | 'degraded3';
  /** Key under which the harness provides its connect string. */
  readonly key: 'zkStandalone' | 'zkEnsemble3' | 'zkTls' | 'zkDegraded3';
  /** Voting servers of the target when the run started. */
  readonly servers: 1 | 3;
  /** Whether clients need the transport's `tls` capability (and {@link tlsOptionsOf}). */
  readonly tls: boolean;
  /** Whether one server is killed mid-run ({@link degradeOnce}). */
  readonly degrades: boolean;
}

/** Every target. */
export const zkTargets: readonly ZkTarget[] = [
  { name: 'standalone', key: 'zkStandalone', servers: 1, tls: false, degrades: false },
  { name: 'ensemble3', key: 'zkEnsemble3', servers: 3, tls: false, degrades: false },
  { name: 'tls', key: 'zkTls', servers: 1, tls: true, degrades: false },
  { name: 'degraded3', key: 'zkDegraded3', servers: 3, tls: false, degrades: true },
];

/** Whether this test file (module state) saw the degraded target's victim dead; it never returns. */
let victimDead = false;

type StringKey = ZkTarget['key'] | 'zkDegraded3Survivors' | 'zkTlsCaPem' | 'zkTlsServerName';

function provided(key: StringKey): string {
  const value: string | undefined = inject(key);
  if (value === undefined || value === '') {
    throw new Error(`no ${key}: run in the integration or chaos project (harness global setup)`);
  }
  return value;
}

/**
 * The connect string (no chroot) of a target. Until this test file has seen the degraded target's victim
 * dead, that target's string names only the two survivors, so no client is ever connected to the server
 * that dies; afterwards it names all three, so clients must also step over the dead one.
 */
export function connectStringOf(target: ZkTarget): string {
  if (target.degrades && !victimDead) return provided('zkDegraded3Survivors');
  return provided(target.key);
}

/** The `tls` client option (CA + host name) for a target whose `tls` is true. */
export function tlsOptionsOf(target: ZkTarget): {
  readonly ca: string;
  readonly servername: string;
} {
  if (!target.tls) throw new Error(`target ${target.name} is not a TLS target`);
  return { ca: provided('zkTlsCaPem'), servername: provided('zkTlsServerName') };
}

function victimCmdline(pid: number): string {
  try {
    // A zombie (killed, not yet reaped) has an empty command line, so it counts as dead too.
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** Whether the victim JVM still runs (its pid exists and its command line names the ensemble's dir). */
export function victimAlive(): boolean {
  const { pid, marker } = inject('zkDegradedVictim');
  if (pid <= 0 || marker === '') throw new Error('the harness gave no pid for the degraded target');
  return victimCmdline(pid).includes(marker);
}

/**
 * SIGKILLs the degraded target's victim follower, once per run (a worker that finds it dead, killed by
 * another, only waits), then waits until it is gone; from then on {@link connectStringOf} names all three
 * servers. The caller then waits until the 2 survivors serve writes.
 */
export async function degradeOnce(waitGone: (check: () => void) => Promise<void>): Promise<void> {
  if (victimDead) return;
  const { pid } = inject('zkDegradedVictim');
  if (victimAlive()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (error) {
      // Another worker killed it between our check and now.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
  await waitGone(() => {
    if (victimAlive()) throw new Error(`victim pid ${pid} still alive`);
  });
  victimDead = true;
}
