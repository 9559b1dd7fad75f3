import { ZkError } from '@zookit/client';

/**
 * `release()` was called on a lock that the calling async context does not hold (Curator's
 * `IllegalMonitorStateException`). Releasing a handle twice is not this error: it is a no-op.
 *
 * @example
 * ```ts
 * try {
 *   await mutex.release();
 * } catch (error) {
 *   if (error instanceof LockNotHeldError) console.log(`not holding ${error.path}`);
 * }
 * ```
 */
export class LockNotHeldError extends ZkError {
  constructor(path: string) {
    super('LOCK_NOT_HELD', 'you do not own the lock', { path });
  }
}
