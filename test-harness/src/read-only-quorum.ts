import { scaledMs, waitFor } from './timing.js';
import type { ZkEnsemble } from './zk-ensemble.js';

/**
 * Options for a 3-server ensemble whose servers can serve read-only without a quorum. ZooKeeper 3.8 needs
 * both: `readonlymode.enabled` starts a read-only server once the peers are gone, and without
 * `localSessionsEnabled` that server never answers a new session's connect request.
 *
 * @example
 * ```ts
 * const zk = await ZkEnsemble.start(READ_ONLY_CAPABLE_ENSEMBLE);
 * ```
 */
export const READ_ONLY_CAPABLE_ENSEMBLE = {
  servers: 3,
  jvmArgs: ['-Dreadonlymode.enabled=true'],
  extraConfig: ['localSessionsEnabled=true', 'localSessionsUpgradingEnabled=true'],
} as const;

/**
 * Kills servers 2 and 3 (indexes 1 and 2) of a {@link READ_ONLY_CAPABLE_ENSEMBLE} and resolves once server 1
 * serves read-only (about 2 s with the harness's tick time).
 *
 * @example
 * ```ts
 * await loseQuorum(zk); // zk.connectStringFor(0) now answers read-only sessions
 * ```
 */
export async function loseQuorum(ensemble: ZkEnsemble): Promise<void> {
  await Promise.all([ensemble.kill(1), ensemble.kill(2)]);
  await waitFor(async () => (await ensemble.mode(0)) === 'read-only', {
    timeoutMs: scaledMs(30_000),
    intervalMs: 100,
    message: 'server 1 to serve read-only',
  });
}

/**
 * Restarts the servers {@link loseQuorum} killed and resolves once server 1 is back in the quorum.
 *
 * @example
 * ```ts
 * await regainQuorum(zk); // writes work again
 * ```
 */
export async function regainQuorum(ensemble: ZkEnsemble): Promise<void> {
  await Promise.all([ensemble.restart(1), ensemble.restart(2)]);
  await ensemble.waitServing();
  await waitFor(
    async () => {
      const mode = await ensemble.mode(0);
      return mode === 'leader' || mode === 'follower';
    },
    { timeoutMs: scaledMs(30_000), intervalMs: 100, message: 'server 1 to rejoin the quorum' },
  );
}
