import { z } from 'zod';

import { parseOptions } from './parse-options.js';
import type { RetryDecision, RetryPolicy } from './retry-policy.js';
import { isRetryableError } from './retry-policy.js';

/**
 * Options of {@link RetryForever}.
 *
 * @example
 * ```ts
 * const options: RetryForeverOptions = { intervalMs: 1_000 };
 * ```
 */
export interface RetryForeverOptions {
  /** Sleep between attempts, in ms; must be > 0. */
  readonly intervalMs: number;
}

const schema = z.strictObject({ intervalMs: z.number().int().positive() });

/**
 * Curator's `RetryForever`: always retries, sleeping `intervalMs`. Stop it with an `AbortSignal`.
 *
 * @example
 * ```ts
 * await withRetry(new RetryForever({ intervalMs: 1_000 }), () => zk.getData('/a'), { signal });
 * ```
 */
export class RetryForever implements RetryPolicy {
  /** Sleep between attempts, in ms. */
  readonly intervalMs: number;

  constructor(options: RetryForeverOptions) {
    this.intervalMs = parseOptions(schema, options, 'RetryForever').intervalMs;
  }

  allowRetry(): RetryDecision {
    return { retry: true, sleepMs: this.intervalMs };
  }

  allowRetryOnError(error: unknown): boolean {
    return isRetryableError(error);
  }
}
