import { z } from 'zod';

import { parseOptions } from './parse-options.js';
import { SleepingRetry } from './sleeping-retry.js';

/**
 * Options of {@link RetryNTimes}.
 *
 * @example
 * ```ts
 * const options: RetryNTimesOptions = { maxRetries: 5, sleepMs: 200 };
 * ```
 */
export interface RetryNTimesOptions {
  /** Retries allowed (so `maxRetries + 1` attempts). */
  readonly maxRetries: number;
  /** Sleep between attempts, in ms. */
  readonly sleepMs: number;
}

const schema = z.strictObject({
  maxRetries: z.number().int().nonnegative(),
  sleepMs: z.number().int().nonnegative(),
});

/**
 * Curator's `RetryNTimes`: up to `maxRetries` retries, sleeping `sleepMs` before each.
 *
 * @example
 * ```ts
 * const policy = new RetryNTimes({ maxRetries: 5, sleepMs: 200 });
 * ```
 */
export class RetryNTimes extends SleepingRetry {
  /** Sleep between attempts, in ms. */
  readonly sleepMs: number;

  constructor(options: RetryNTimesOptions) {
    const parsed = parseOptions(schema, options, 'RetryNTimes');
    super(parsed.maxRetries);
    this.sleepMs = parsed.sleepMs;
  }

  protected sleepTimeMs(): number {
    return this.sleepMs;
  }
}
