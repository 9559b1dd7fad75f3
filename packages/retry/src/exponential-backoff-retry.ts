import { z } from 'zod';

import { parseOptions } from './parse-options.js';
import { SleepingRetry } from './sleeping-retry.js';

/**
 * Curator's `MAX_RETRIES_LIMIT`: beyond 29 retries `1 << (r + 1)` would overflow a Java int.
 *
 * @example
 * ```ts
 * new ExponentialBackoffRetry({ baseSleepMs: 10, maxRetries: 100 }).maxRetries === MAX_RETRIES_LIMIT; // true
 * ```
 */
export const MAX_RETRIES_LIMIT = 29;

const MAX_INT = 2 ** 31 - 1;

/**
 * Options of {@link ExponentialBackoffRetry}.
 *
 * @example
 * ```ts
 * const options: ExponentialBackoffRetryOptions = { baseSleepMs: 100, maxRetries: 3 };
 * ```
 */
export interface ExponentialBackoffRetryOptions {
  /** Base sleep in ms; retry r sleeps `base × max(1, random integer in [0, 2^(r+1)))`. */
  readonly baseSleepMs: number;
  /** Retries allowed; clamped to {@link MAX_RETRIES_LIMIT} (29). */
  readonly maxRetries: number;
  /** Cap on one sleep, in ms. Default 2^31 − 1 (Java's `Integer.MAX_VALUE`). */
  readonly maxSleepMs?: number;
  /** Source of uniform randoms in [0, 1), for tests. Default `Math.random`. */
  readonly random?: () => number;
}

const schema = z.strictObject({
  baseSleepMs: z.number().int().nonnegative(),
  maxRetries: z.number().int().nonnegative(),
  maxSleepMs: z.number().int().nonnegative().optional(),
  random: z.custom<() => number>((v) => typeof v === 'function', 'must be a function').optional(),
});

/**
 * Curator's `ExponentialBackoffRetry`: retry r (from 0) sleeps `baseSleepMs × max(1, rand[0, 2^(r+1)))`,
 * capped at `maxSleepMs`. So the first retry sleeps exactly `baseSleepMs`, the second one of
 * {1, 1, 2, 3} × base, and so on. At most 29 retries.
 *
 * @example
 * ```ts
 * const policy = new ExponentialBackoffRetry({ baseSleepMs: 100, maxRetries: 3 });
 * await withRetry(policy, () => client.getData('/a'));
 * ```
 */
export class ExponentialBackoffRetry extends SleepingRetry {
  /** Base sleep, in ms. */
  readonly baseSleepMs: number;
  /** Cap on one sleep, in ms. */
  readonly maxSleepMs: number;
  readonly #random: () => number;

  constructor(options: ExponentialBackoffRetryOptions) {
    const parsed = parseOptions(schema, options, 'ExponentialBackoffRetry');
    super(Math.min(parsed.maxRetries, MAX_RETRIES_LIMIT));
    this.baseSleepMs = parsed.baseSleepMs;
    this.maxSleepMs = parsed.maxSleepMs ?? MAX_INT;
    this.#random = parsed.random ?? Math.random;
  }

  protected sleepTimeMs(retryCount: number): number {
    return Math.min(
      this.maxSleepMs,
      exponentialSleepMs(this.baseSleepMs, retryCount, this.#random),
    );
  }
}

/** `base × max(1, nextInt(1 << (r + 1)))`, as Curator computes it. */
export function exponentialSleepMs(
  baseSleepMs: number,
  retryCount: number,
  random: () => number,
): number {
  const bound = 2 ** (retryCount + 1);
  const draw = Math.min(bound - 1, Math.floor(random() * bound));
  return baseSleepMs * Math.max(1, draw);
}
