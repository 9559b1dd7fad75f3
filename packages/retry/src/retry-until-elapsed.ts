import { z } from 'zod';

import { parseOptions } from './parse-options.js';
import type { RetryDecision } from './retry-policy.js';
import { SleepingRetry } from './sleeping-retry.js';

/**
 * Options of {@link RetryUntilElapsed}.
 *
 * @example
 * ```ts
 * const options: RetryUntilElapsedOptions = { maxElapsedMs: 10_000, sleepMs: 500 };
 * ```
 */
export interface RetryUntilElapsedOptions {
  /** Retry while less than this many ms have passed since the first attempt started. */
  readonly maxElapsedMs: number;
  /** Sleep between attempts, in ms. */
  readonly sleepMs: number;
}

const schema = z.strictObject({
  maxElapsedMs: z.number().int().nonnegative(),
  sleepMs: z.number().int().nonnegative(),
});

/**
 * Curator's `RetryUntilElapsed`: retries while `elapsedMs < maxElapsedMs`, sleeping `sleepMs` before each.
 * Like Curator, the sleep comes before the elapsed test, so the final refusal also costs one sleep.
 *
 * @example
 * ```ts
 * const policy = new RetryUntilElapsed({ maxElapsedMs: 10_000, sleepMs: 500 });
 * ```
 */
export class RetryUntilElapsed extends SleepingRetry {
  /** Elapsed-time budget, in ms. */
  readonly maxElapsedMs: number;
  /** Sleep between attempts, in ms. */
  readonly sleepMs: number;

  constructor(options: RetryUntilElapsedOptions) {
    const parsed = parseOptions(schema, options, 'RetryUntilElapsed');
    super(2 ** 31 - 1);
    this.maxElapsedMs = parsed.maxElapsedMs;
    this.sleepMs = parsed.sleepMs;
  }

  override allowRetry(retryCount: number, elapsedMs: number): RetryDecision {
    const base = super.allowRetry(retryCount, elapsedMs);
    return { retry: base.retry && elapsedMs < this.maxElapsedMs, sleepMs: base.sleepMs };
  }

  protected sleepTimeMs(): number {
    return this.sleepMs;
  }
}
