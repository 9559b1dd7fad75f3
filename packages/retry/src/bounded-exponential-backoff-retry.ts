import { z } from 'zod';

import { exponentialSleepMs, MAX_RETRIES_LIMIT } from './exponential-backoff-retry.js';
import { parseOptions } from './parse-options.js';
import { SleepingRetry } from './sleeping-retry.js';

/**
 * Options of {@link BoundedExponentialBackoffRetry}.
 *
 * @example
 * ```ts
 * const options: BoundedExponentialBackoffRetryOptions = { baseSleepMs: 100, maxSleepMs: 2_000, maxRetries: 10 };
 * ```
 */
export interface BoundedExponentialBackoffRetryOptions {
  /** Base sleep in ms, as in {@link ExponentialBackoffRetry}. */
  readonly baseSleepMs: number;
  /** Upper bound of one sleep, in ms. */
  readonly maxSleepMs: number;
  /** Retries allowed; clamped to 29. */
  readonly maxRetries: number;
  /** Source of uniform randoms in [0, 1), for tests. Default `Math.random`. */
  readonly random?: () => number;
}

const schema = z.strictObject({
  baseSleepMs: z.number().int().nonnegative(),
  maxSleepMs: z.number().int().nonnegative(),
  maxRetries: z.number().int().nonnegative(),
  random: z.custom<() => number>((v) => typeof v === 'function', 'must be a function').optional(),
});

/**
 * Curator's `BoundedExponentialBackoffRetry`: the exponential sleep, bounded by `maxSleepMs`.
 *
 * @example
 * ```ts
 * const policy = new BoundedExponentialBackoffRetry({ baseSleepMs: 100, maxSleepMs: 2_000, maxRetries: 10 });
 * ```
 */
export class BoundedExponentialBackoffRetry extends SleepingRetry {
  /** Base sleep, in ms. */
  readonly baseSleepMs: number;
  /** Upper bound of one sleep, in ms. */
  readonly maxSleepMs: number;
  readonly #random: () => number;

  constructor(options: BoundedExponentialBackoffRetryOptions) {
    const parsed = parseOptions(schema, options, 'BoundedExponentialBackoffRetry');
    super(Math.min(parsed.maxRetries, MAX_RETRIES_LIMIT));
    this.baseSleepMs = parsed.baseSleepMs;
    this.maxSleepMs = parsed.maxSleepMs;
    this.#random = parsed.random ?? Math.random;
  }

  protected sleepTimeMs(retryCount: number): number {
    return Math.min(
      this.maxSleepMs,
      exponentialSleepMs(this.baseSleepMs, retryCount, this.#random),
    );
  }
}
