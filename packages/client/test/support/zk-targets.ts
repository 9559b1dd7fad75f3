/**
 * The shared ZooKeeper servers the integration tests run against: one standalone server and one 3-node
 * ensemble, started once per run by the harness's global setup and handed over through `inject`.
 */
import { inject } from 'vitest';

/** One shared server set. */
export interface ZkTarget {
  /** Label used in test names. */
  readonly name: 'standalone' | 'ensemble3';
  /** Key under which the harness provides its connect string. */
  readonly key: 'zkStandalone' | 'zkEnsemble3';
}

/** The standalone server and the 3-node ensemble. */
export const zkTargets: readonly ZkTarget[] = [
  { name: 'standalone', key: 'zkStandalone' },
  { name: 'ensemble3', key: 'zkEnsemble3' },
];

/** The connect string (no chroot) of a target. */
export function connectStringOf(target: ZkTarget): string {
  const value: string | undefined = inject(target.key);
  if (value === undefined || value === '') {
    throw new Error(`no ${target.name} server: run in the integration or chaos project (harness global setup)`);
  }
  return value;
}
