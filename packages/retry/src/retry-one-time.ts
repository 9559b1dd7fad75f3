import { z } from 'zod';

import { parseOptions } from './parse-options.js';
import { SleepingRetry } from './sleeping-retry.js';

/**
 * Options of {@link RetryOneTime}.
 *
 * @example
 * ```ts
 * const options: RetryOneTimeOptions = { sleepMs: 100 };
 * ```
 */
export interface RetryOneTimeOptions {
  /** Sleep before the single retry, in ms. */
  readonly sleepMs: number;
}

const schema = z.strictObject({ sleepMs: z.number().int().nonnegative() });

/**
 * Curator's `RetryOneTime`: `RetryNTimes(1, sleepMs)`, so two attempts in all.
 *
 * @example
 * ```ts
 * const policy = new RetryOneTime({ sleepMs: 100 });
 * ```
 */
export class RetryOneTime extends SleepingRetry {
  /** Sleep before the retry, in ms. */
  readonly sleepMs: number;

  constructor(options: RetryOneTimeOptions) {
    const parsed = parseOptions(schema, options, 'RetryOneTime');
    super(1);
    this.sleepMs = parsed.sleepMs;
  }

  protected sleepTimeMs(): number {
    return this.sleepMs;
  }
}
