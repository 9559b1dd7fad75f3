import { SessionExpiredError, ZkError } from '@zookit/client';

/**
 * What a {@link RetryPolicy} decides after a failed attempt: whether to try again, and how long to wait
 * first. `sleepMs` is waited even when `retry` is false, to keep Curator's `RetryUntilElapsed` quirk.
 *
 * @example
 * ```ts
 * const decision: RetryDecision = { retry: true, sleepMs: 100 };
 * ```
 */
export interface RetryDecision {
  /** Whether another attempt may run. */
  readonly retry: boolean;
  /** Milliseconds to wait before the next attempt (or before giving up). */
  readonly sleepMs: number;
}

/**
 * A retry policy: Curator's `RetryPolicy`. Policies are immutable and hold no counters, so one instance
 * can serve every concurrent operation.
 *
 * @example
 * ```ts
 * const policy: RetryPolicy = new ExponentialBackoffRetry({ baseSleepMs: 100, maxRetries: 3 });
 * policy.allowRetry(0, 0); // { retry: true, sleepMs: 100 }
 * ```
 */
export interface RetryPolicy {
  /**
   * Called after a retryable failure. `retryCount` starts at 0 for the first retry; `elapsedMs` is the
   * time since the first attempt started.
   */
  allowRetry(retryCount: number, elapsedMs: number): RetryDecision;
  /** Whether this error may be retried at all (Curator's `allowRetry(Throwable)`). */
  allowRetryOnError(error: unknown): boolean;
}

/**
 * Curator's default retryable set: connection loss, operation timeout, session moved (every `ZkError`
 * whose class is `retryable`), plus session expired, because the framework opens a new session and a
 * retry then runs on it. {@link SessionFailedRetryPolicy} removes session expired.
 *
 * @example
 * ```ts
 * isRetryableError(new ConnectionLossError()); // true
 * isRetryableError(new NoNodeError());         // false
 * ```
 */
export function isRetryableError(error: unknown): boolean {
  return error instanceof ZkError && (error.retryable || error instanceof SessionExpiredError);
}

/**
 * Whether the error reports the end of a session (expired).
 *
 * @example
 * ```ts
 * isSessionError(new SessionExpiredError()); // true
 * ```
 */
export function isSessionError(error: unknown): boolean {
  return error instanceof SessionExpiredError;
}
