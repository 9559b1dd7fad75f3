import { ZkError } from '@zookit/client';

/**
 * A retryable operation failed and the retry policy allowed no further attempt. `cause` is the last
 * error; `outcomeUnknown` is copied from it (a write that ended in connection loss may still have
 * been applied).
 *
 * @example
 * ```ts
 * try { await withRetry(policy, () => client.getData('/a')); }
 * catch (e) { if (e instanceof RetriesExhaustedError) console.log(e.attempts, e.elapsedMs, e.cause); }
 * ```
 */
export class RetriesExhaustedError extends ZkError {
  /** How many attempts ran (retries + 1). */
  readonly attempts: number;
  /** Milliseconds from the first attempt to giving up. */
  readonly elapsedMs: number;

  constructor(attempts: number, elapsedMs: number, cause: unknown) {
    const last = cause instanceof ZkError ? cause : undefined;
    super(
      'RETRIES_EXHAUSTED',
      `gave up after ${attempts} attempts in ${Math.round(elapsedMs)} ms: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause, path: last?.path, outcomeUnknown: last?.outcomeUnknown ?? false },
    );
    this.attempts = attempts;
    this.elapsedMs = elapsedMs;
  }
}
