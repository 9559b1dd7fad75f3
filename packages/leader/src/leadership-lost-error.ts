import { ZkError } from '@zookit/client';

/**
 * Why a term's signal aborted.
 *
 * @example
 * ```ts
 * const reason: LeadershipLostReason = (signal.reason as LeadershipLostError).reason; // e.g. 'suspended'
 * ```
 */
export type LeadershipLostReason =
  'suspended' | 'lost' | 'leaseExpired' | 'interrupted' | 'released' | 'closed';

/**
 * The reason a `LeaderSelector` leadership signal aborts with: leadership can no longer be trusted
 * (`suspended` under the standard error policy, `lost`, the session lease running out under the `session`
 * policy), it was taken away (`interruptLeadership()`, `close()`), or `takeLeadership` returned
 * (`released`: the signal of a finished term aborts too, so work it started stops).
 *
 * @example
 * ```ts
 * takeLeadership: async (signal) => {
 *   signal.addEventListener('abort', () => {
 *     const reason = signal.reason as LeadershipLostError;
 *     console.log('leadership ended:', reason.reason);
 *   });
 * }
 * ```
 */
export class LeadershipLostError extends ZkError {
  /** What ended the leadership. */
  readonly reason: LeadershipLostReason;

  constructor(path: string, reason: LeadershipLostReason) {
    super('LEADERSHIP_LOST', `leadership ended: ${reason}`, { path });
    this.reason = reason;
  }
}
