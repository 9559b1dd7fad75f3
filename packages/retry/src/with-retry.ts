import { InvalidArgumentError } from '@zookit/client';
import pRetry from 'p-retry';

import { RetriesExhaustedError } from './retries-exhausted-error.js';
import type { RetryPolicy } from './retry-policy.js';

/**
 * What {@link WithRetryOptions.onRetry} is told before each retry.
 *
 * @example
 * ```ts
 * withRetry(policy, fn, { onRetry: (info: RetryInfo) => console.warn(info.retryCount, info.error) });
 * ```
 */
export interface RetryInfo {
  /** The error that failed the last attempt. */
  readonly error: unknown;
  /** Retry number, from 0 (Curator's `retryCount`). */
  readonly retryCount: number;
  /** Attempts made so far. */
  readonly attempts: number;
  /** The sleep before the next attempt, in ms. */
  readonly sleepMs: number;
  /** Time since the first attempt started, in ms. */
  readonly elapsedMs: number;
}

/**
 * What an attempt of {@link withRetry} receives.
 *
 * @example
 * ```ts
 * await withRetry(policy, ({ attempt, signal }: AttemptContext) => client.getData('/a'));
 * ```
 */
export interface AttemptContext {
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Aborted when the caller's signal aborts. */
  readonly signal: AbortSignal | undefined;
}

/**
 * Options of {@link withRetry}.
 *
 * @example
 * ```ts
 * const options: WithRetryOptions = { signal: AbortSignal.timeout(5_000) };
 * ```
 */
export interface WithRetryOptions {
  /** Stops retrying (and the current sleep); the promise rejects with `signal.reason`. */
  readonly signal?: AbortSignal | undefined;
  /** Called before each retry's sleep. An exception thrown here is ignored. */
  readonly onRetry?: ((info: RetryInfo) => void) | undefined;
  /**
   * Maps each attempt's error before the policy judges it (and before it is thrown), e.g. to turn a
   * transport-specific failure into a retryable `ConnectionLossError`.
   */
  readonly mapError?: ((error: unknown) => unknown) | undefined;
}

/**
 * Runs `fn` under a retry policy, Curator's `RetryLoop`: an error the policy does not allow
 * (`policy.allowRetryOnError`) is re-thrown at once; otherwise the policy decides whether and after how
 * long to try again. When it refuses, the promise rejects with {@link RetriesExhaustedError} whose
 * `cause` is the last error. A policy allowing n retries makes n + 1 attempts. A `policy`, `fn` or option
 * of the wrong kind rejects with `InvalidArgumentError` naming it, before the first attempt.
 *
 * @example
 * ```ts
 * const data = await withRetry(new RetryNTimes({ maxRetries: 3, sleepMs: 100 }), () => client.getData('/a'), {
 *   signal: AbortSignal.timeout(5_000),
 *   onRetry: ({ error, retryCount }) => console.warn(`retry ${retryCount}`, error),
 * });
 * ```
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  fn: (context: AttemptContext) => Promise<T> | T,
  options: WithRetryOptions = {},
): Promise<T> {
  checkArguments(policy, fn, options);
  const signal = options.signal;
  signal?.throwIfAborted();
  const start = performance.now();
  // The first attempt runs outside p-retry: almost every operation succeeds at once, and setting up the
  // retry loop only when needed keeps the framework's per-operation overhead to a few microseconds.
  try {
    return await fn({ attempt: 1, signal });
  } catch (error) {
    return retryLoop(
      policy,
      fn,
      options,
      start,
      options.mapError === undefined ? error : options.mapError(error),
    );
  }
}

async function retryLoop<T>(
  policy: RetryPolicy,
  fn: (context: AttemptContext) => Promise<T> | T,
  options: WithRetryOptions,
  start: number,
  firstError: unknown,
): Promise<T> {
  const { signal, onRetry, mapError } = options;
  let retryCount = 0;
  let attempts = 1;
  let exhausted = false;
  const decide = async (error: unknown): Promise<boolean> => {
    if (!policy.allowRetryOnError(error)) return false;
    const elapsedMs = performance.now() - start;
    const decision = policy.allowRetry(retryCount, elapsedMs);
    if (decision.retry && onRetry !== undefined) {
      try {
        onRetry({ error, retryCount, attempts, sleepMs: decision.sleepMs, elapsedMs });
      } catch {
        // A faulty hook must not change the outcome of the operation.
      }
    }
    await sleep(decision.sleepMs, signal);
    if (!decision.retry) {
      exhausted = true;
      return false;
    }
    retryCount++;
    return true;
  };
  try {
    if (!(await decide(firstError))) throw firstError;
    // p-retry supplies the loop, abort handling and error normalisation; the policy supplies every delay,
    // so p-retry's own backoff is switched off (minTimeout 0) and the policy sleeps in shouldRetry.
    return await pRetry(
      async (n) => {
        attempts = n + 1;
        if (mapError === undefined) return fn({ attempt: attempts, signal });
        try {
          return await fn({ attempt: attempts, signal });
        } catch (error) {
          throw mapError(error);
        }
      },
      {
        retries: Number.POSITIVE_INFINITY,
        minTimeout: 0,
        factor: 1,
        signal,
        shouldRetry: ({ error }) => decide(error),
      },
    );
  } catch (error) {
    if (exhausted) throw new RetriesExhaustedError(attempts, performance.now() - start, error);
    throw error;
  }
}

/**
 * Plain checks rather than a schema: this runs before every framework operation. Without them a bad
 * policy would only fail, with a TypeError, on the first retry (an error path that may never be tested).
 */
function checkArguments(policy: unknown, fn: unknown, options: unknown): void {
  const p = policy as Partial<RetryPolicy> | null;
  if (
    typeof p !== 'object' ||
    p === null ||
    typeof p.allowRetry !== 'function' ||
    typeof p.allowRetryOnError !== 'function'
  ) {
    throw new InvalidArgumentError(
      'policy',
      'withRetry: must be a RetryPolicy ({ allowRetry, allowRetryOnError })',
    );
  }
  if (typeof fn !== 'function')
    throw new InvalidArgumentError('fn', 'withRetry: must be a function');
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'withRetry: must be an object');
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (key !== 'signal' && key !== 'onRetry' && key !== 'mapError') {
      throw new InvalidArgumentError(key, 'withRetry: unknown option');
    }
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) {
    throw new InvalidArgumentError('signal', 'withRetry: must be an AbortSignal');
  }
  for (const key of ['onRetry', 'mapError'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'function') {
      throw new InvalidArgumentError(key, 'withRetry: must be a function');
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0) {
    signal?.throwIfAborted();
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal?.aborted === true) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
