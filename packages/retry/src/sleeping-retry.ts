import type { RetryDecision, RetryPolicy } from './retry-policy.js';
import { isRetryableError } from './retry-policy.js';

/**
 * Curator's package-private `SleepingRetry`: retries while `retryCount < maxRetries`, sleeping
 * `sleepTimeMs(retryCount, elapsedMs)` before each retry. Base of the concrete policies.
 *
 * @example
 * ```ts
 * class Fixed extends SleepingRetry {
 *   protected sleepTimeMs(): number { return 10; }
 * }
 * new Fixed(3).allowRetry(0, 0); // { retry: true, sleepMs: 10 }
 * ```
 */
export abstract class SleepingRetry implements RetryPolicy {
  /** Number of retries allowed (so `maxRetries + 1` attempts). */
  readonly maxRetries: number;

  protected constructor(maxRetries: number) {
    this.maxRetries = maxRetries;
  }

  /** The sleep before retry `retryCount` (0-based). */
  protected abstract sleepTimeMs(retryCount: number, elapsedMs: number): number;

  allowRetry(retryCount: number, elapsedMs: number): RetryDecision {
    if (retryCount < this.maxRetries)
      return { retry: true, sleepMs: this.sleepTimeMs(retryCount, elapsedMs) };
    return { retry: false, sleepMs: 0 };
  }

  allowRetryOnError(error: unknown): boolean {
    return isRetryableError(error);
  }
}
