/**
 * Proof of holding a lock (or a semaphore lease), returned by `acquire()`.
 *
 * - `fencingToken`: the `czxid` of the holder's node. Unique across the ensemble and increasing in
 *   acquisition order on one lock path; pass it to downstream systems so they reject a stale holder.
 * - `lost`: aborted the moment the lock can no longer be trusted (see `LockLostError` for the reasons).
 *   Pass it to the work done under the lock. It never "un-aborts": the lock is never silently re-acquired.
 * - `release()`: deletes the node (a guaranteed delete that keeps going in the background after a
 *   connection loss). Releasing twice is a no-op. Also `await using lock = await mutex.acquire()`.
 *
 * @example
 * ```ts
 * await using lock = await mutex.acquire({ timeoutMs: 5_000 });
 * await storage.write(record, { fencingToken: lock.fencingToken, signal: lock.lost });
 * ```
 */
export interface LockHandle extends AsyncDisposable {
  /** The `czxid` of the holder's node. */
  readonly fencingToken: bigint;
  /** Aborted (with a `LockLostError`) when the lock can no longer be trusted. */
  readonly lost: AbortSignal;
  /** Full path (relative to the framework's namespace) of the holder's node. */
  readonly nodePath: string;
  /** True once `release()` was called on this handle. */
  readonly released: boolean;
  /** Releases this hold. The last hold of a re-entrant lock deletes the node. Idempotent. */
  release(): Promise<void>;
}

/**
 * What every zookit lock has in common (Curator's `InterProcessLock`), e.g. for `InterProcessMultiLock`.
 *
 * @example
 * ```ts
 * const locks: InterProcessLock[] = [new InterProcessMutex(zk, '/a'), rw.writeLock()];
 * const all = new InterProcessMultiLock(zk, locks);
 * ```
 */
export interface InterProcessLock {
  /**
   * Acquires; rejects with `LockTimeoutError` after `timeoutMs`, or the signal's reason. Re-entrant (where
   * the lock is) only inside its `withLock(fn)`: a second bare `acquire()` waits behind the first.
   */
  acquire(options?: LockAcquireOptions): Promise<LockHandle>;
  /** True while some async context of this process holds it through this instance. */
  isAcquiredInThisProcess(): boolean;
}

/**
 * Options of every `acquire`.
 *
 * @example
 * ```ts
 * await mutex.acquire({ timeoutMs: 2_000, signal: AbortSignal.timeout(10_000) });
 * ```
 */
export interface LockAcquireOptions {
  /** Give up (with `LockTimeoutError`) after this long. Default: wait until acquired. */
  readonly timeoutMs?: number;
  /** Abort waiting (rejects with the signal's reason). */
  readonly signal?: AbortSignal;
}

/**
 * Someone asked the holder to give the lock up (Curator's `Revoker.attemptRevoke`, which writes
 * `__REVOKE__` into the holder's node). Revocation is cooperative: the holder decides whether to release.
 *
 * @example
 * ```ts
 * let lock: LockHandle | undefined;
 * const mutex = new InterProcessMutex(zk, '/locks/a', {
 *   onRevocationRequested: () => void lock?.release(),
 * });
 * lock = await mutex.acquire();
 * ```
 */
export interface RevocationRequest {
  readonly nodePath: string;
  readonly fencingToken: bigint;
}
