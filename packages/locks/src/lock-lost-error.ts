import { ZkError } from '@zookit/client';

/**
 * Why a held lock (or lease) can no longer be trusted:
 * - `suspended`: the connection dropped (an error state under the `standard` error policy);
 * - `lost`: the session is gone, or presumed gone;
 * - `leaseDeadline`: still disconnected when the session may already have expired on the server
 *   (enforced under every error policy, `session` included);
 * - `sessionChanged`: the framework is on a new session, which does not own the lock node;
 * - `nodeDeleted`: the lock node was deleted by someone else;
 * - `closed`: the lock recipe or the framework was closed.
 *
 * @example
 * ```ts
 * lock.lost.addEventListener('abort', () => {
 *   const why: LockLostReason = (lock.lost.reason as LockLostError).reason;
 *   if (why !== 'closed') console.warn(`lock lost (${why}): stop writing, then re-acquire`);
 * });
 * ```
 */
export type LockLostReason =
  'suspended' | 'lost' | 'leaseDeadline' | 'sessionChanged' | 'nodeDeleted' | 'closed';

/**
 * The reason of a lock handle's `lost` signal (and the error a re-entrant acquisition of a lost lock
 * throws). Once a handle is lost it stays lost: the lock is never silently re-acquired.
 *
 * @example
 * ```ts
 * const lock = await mutex.acquire();
 * lock.lost.addEventListener('abort', () => {
 *   const reason = lock.lost.reason as LockLostError;
 *   console.warn(`stop writing: lock ${reason.path} lost (${reason.reason})`);
 * });
 * ```
 */
export class LockLostError extends ZkError {
  readonly reason: LockLostReason;

  constructor(path: string, reason: LockLostReason) {
    super('LOCK_LOST', `lock can no longer be trusted (${reason})`, { path });
    this.reason = reason;
  }
}
