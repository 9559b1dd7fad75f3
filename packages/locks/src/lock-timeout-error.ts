import { ZkError } from '@zookit/client';

/**
 * An acquisition did not succeed within its `timeoutMs`. The contender node it created has been removed
 * (a guaranteed delete), so nothing is left behind.
 *
 * @example
 * ```ts
 * try {
 *   await mutex.acquire({ timeoutMs: 1_000 });
 * } catch (error) {
 *   if (error instanceof LockTimeoutError) console.log(`busy: ${error.path}`);
 * }
 * ```
 */
export class LockTimeoutError extends ZkError {
  /** The timeout that ran out, in ms. */
  readonly timeoutMs: number;

  constructor(path: string, timeoutMs: number) {
    super('LOCK_TIMEOUT', `lock not acquired within ${timeoutMs} ms`, { path });
    this.timeoutMs = timeoutMs;
  }
}
