import { InvalidArgumentError } from '@zookit/client';
import type { ZkFramework } from '@zookit/framework';

import { InterProcessMutex } from './interprocess-mutex.js';
import type { InterProcessLock, LockAcquireOptions, LockHandle } from './lock-handle.js';

/**
 * The handle of an {@link InterProcessMultiLock}: `handles` in acquisition order; `lost` fires when any
 * of them is lost; `fencingToken` and `nodePath` are those of the last lock taken (the newest node);
 * `release()` releases all, in reverse order.
 *
 * @example
 * ```ts
 * await using all = await multi.acquire();
 * all.handles.map((h) => h.fencingToken);
 * ```
 */
export interface MultiLockHandle extends LockHandle {
  readonly handles: readonly LockHandle[];
}

/**
 * Curator's `InterProcessMultiLock`: several locks taken as one, all or none. Acquires in list order; if
 * one fails or times out, those already taken are released in reverse order and the error is thrown.
 * Releases in reverse order. Not atomic across paths (no multi), as in Curator.
 *
 * @example
 * ```ts
 * const multi = new InterProcessMultiLock(zk, ['/locks/account-1', '/locks/account-2']);
 * await multi.withLock(async (lost) => transfer({ signal: lost }), { timeoutMs: 5_000 });
 * ```
 */
export class InterProcessMultiLock implements InterProcessLock, AsyncDisposable {
  readonly #locks: readonly InterProcessLock[];
  readonly #owned: readonly InterProcessMutex[];
  readonly #handles = new Set<MultiLockHandle>();

  /** @param locks - lock paths (each becomes an `InterProcessMutex`) or any zookit locks. */
  constructor(framework: ZkFramework, locks: ReadonlyArray<string | InterProcessLock>) {
    if (locks.length === 0) throw new InvalidArgumentError('locks', 'must be a non-empty array');
    const owned: InterProcessMutex[] = [];
    this.#locks = locks.map((lock) => {
      if (typeof lock !== 'string') return lock;
      const mutex = new InterProcessMutex(framework, lock);
      owned.push(mutex);
      return mutex;
    });
    this.#owned = owned;
  }

  /** Acquires every lock (one deadline for all) or none. */
  async acquire(options: LockAcquireOptions = {}): Promise<MultiLockHandle> {
    const deadline =
      options.timeoutMs === undefined ? undefined : performance.now() + options.timeoutMs;
    const handles: LockHandle[] = [];
    try {
      for (const lock of this.#locks) {
        const timeoutMs =
          deadline === undefined ? undefined : Math.max(0, deadline - performance.now());
        handles.push(
          await lock.acquire({
            ...(options.signal === undefined ? {} : { signal: options.signal }),
            ...(timeoutMs === undefined ? {} : { timeoutMs }),
          }),
        );
      }
    } catch (error) {
      await releaseAll(handles);
      throw error;
    }
    const handle = multiHandle(handles, (h) => this.#handles.delete(h));
    this.#handles.add(handle);
    return handle;
  }

  /** Runs `fn` holding all the locks, then releases them. `fn` gets the combined `lost` signal and the handle. */
  async withLock<T>(
    fn: (lost: AbortSignal, lock: MultiLockHandle) => T | Promise<T>,
    options: LockAcquireOptions = {},
  ): Promise<T> {
    const handle = await this.acquire(options);
    try {
      return await fn(handle.lost, handle);
    } finally {
      await handle.release();
    }
  }

  /** True if every lock is held in this process (Curator's rule). */
  isAcquiredInThisProcess(): boolean {
    return this.#locks.every((lock) => lock.isAcquiredInThisProcess());
  }

  /** Releases what this instance holds and closes the mutexes it created from paths. Idempotent. */
  async close(): Promise<void> {
    await Promise.all([...this.#handles].map((h) => h.release()));
    await Promise.all(this.#owned.map((m) => m.close()));
  }

  /** Same as {@link InterProcessMultiLock.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

async function releaseAll(handles: readonly LockHandle[]): Promise<void> {
  let first: unknown;
  for (const handle of [...handles].reverse()) {
    try {
      await handle.release();
    } catch (error) {
      first ??= error;
    }
  }
  if (first !== undefined) throw first as Error;
}

function multiHandle(
  handles: readonly LockHandle[],
  onRelease: (h: MultiLockHandle) => void,
): MultiLockHandle {
  const last = handles[handles.length - 1];
  if (last === undefined) throw new InvalidArgumentError('locks', 'must be a non-empty array');
  let released = false;
  const handle: MultiLockHandle = {
    handles,
    fencingToken: last.fencingToken,
    nodePath: last.nodePath,
    lost: AbortSignal.any(handles.map((h) => h.lost)),
    get released() {
      return released;
    },
    release: async () => {
      if (released) return;
      released = true;
      onRelease(handle);
      await releaseAll(handles);
    },
    [Symbol.asyncDispose]: () => handle.release(),
  };
  return handle;
}
