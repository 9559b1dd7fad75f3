import { ZkError } from '@zookit/client';

/**
 * A cache did not finish its initial load within the `timeoutMs` given to `start()` or
 * `whenInitialized()`. The cache keeps trying in the background; close it if you give up.
 *
 * @example
 * ```ts
 * try { await cache.start({ timeoutMs: 5_000 }); }
 * catch (e) { if (e instanceof CacheTimeoutError) await cache.close(); }
 * ```
 */
export class CacheTimeoutError extends ZkError {
  /** The timeout that elapsed, in ms. */
  readonly timeoutMs: number;

  constructor(path: string, timeoutMs: number) {
    super('CACHE_TIMEOUT', `cache not initialized within ${timeoutMs} ms`, { path });
    this.timeoutMs = timeoutMs;
  }
}
