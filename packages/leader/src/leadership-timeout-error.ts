import { ZkError } from '@zookit/client';

/**
 * `awaitLeadership({ timeoutMs })` ran out of time before this participant became leader.
 *
 * @example
 * ```ts
 * try {
 *   await latch.awaitLeadership({ timeoutMs: 5_000 });
 * } catch (e) {
 *   if (e instanceof LeadershipTimeoutError) console.log(`not leader after ${e.timeoutMs} ms`);
 * }
 * ```
 */
export class LeadershipTimeoutError extends ZkError {
  /** The timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;

  constructor(path: string, timeoutMs: number) {
    super('LEADERSHIP_TIMEOUT', `not leader within ${timeoutMs} ms`, { path });
    this.timeoutMs = timeoutMs;
  }
}
