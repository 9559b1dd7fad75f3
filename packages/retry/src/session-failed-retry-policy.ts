import { InvalidArgumentError, SessionExpiredError } from '@zookit/client';

import type { RetryDecision, RetryPolicy } from './retry-policy.js';

/**
 * Curator's `SessionFailedRetryPolicy`: the delegate's rules, except that session expiry is never retried
 * (the operation fails as soon as its session is gone instead of running again on a new session).
 *
 * @example
 * ```ts
 * const policy = new SessionFailedRetryPolicy(new RetryNTimes({ maxRetries: 3, sleepMs: 100 }));
 * ```
 */
export class SessionFailedRetryPolicy implements RetryPolicy {
  /** The policy that decides everything else. */
  readonly delegate: RetryPolicy;

  constructor(delegate: RetryPolicy) {
    if (
      typeof delegate !== 'object' ||
      delegate === null ||
      typeof delegate.allowRetry !== 'function' ||
      typeof delegate.allowRetryOnError !== 'function'
    ) {
      throw new InvalidArgumentError('delegate', 'SessionFailedRetryPolicy: must be a RetryPolicy');
    }
    this.delegate = delegate;
  }

  allowRetry(retryCount: number, elapsedMs: number): RetryDecision {
    return this.delegate.allowRetry(retryCount, elapsedMs);
  }

  allowRetryOnError(error: unknown): boolean {
    if (error instanceof SessionExpiredError) return false;
    return this.delegate.allowRetryOnError(error);
  }
}
