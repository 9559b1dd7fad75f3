import type { ZkFramework } from '@zookit/framework';
import { parseRecipeOptions } from '@zookit/framework/recipe-kit';
import { z } from 'zod';

import { readDriver, writeDriver } from './internal/lock-driver.js';
import { checkLockPath } from './internal/parse-options.js';
import { InterProcessMutex } from './interprocess-mutex.js';

/**
 * Options of {@link InterProcessReadWriteLock}.
 *
 * @example
 * ```ts
 * new InterProcessReadWriteLock(zk, '/locks/catalog', { nodeData: 'indexer-2' });
 * ```
 */
export interface InterProcessReadWriteLockOptions {
  /** Data of both locks' nodes (Curator's `lockData`). Default: the local IP address. */
  readonly nodeData?: string | Uint8Array;
}

const schema = z
  .object({ nodeData: z.union([z.string(), z.instanceof(Uint8Array)]).optional() })
  .strict();

/**
 * Curator's `InterProcessReadWriteLock`: many readers or one writer, fair, wire-compatible. Both locks
 * share one directory and one sequence counter: `_c_<uuid>-__READ__<seq>` and `_c_<uuid>-__WRIT__<seq>`.
 *
 * - A writer holds the lock when its node is first; otherwise it watches the node just before it.
 * - A reader holds it when no writer node comes before it; otherwise it watches the FIRST writer.
 * - Curator 5.5+ behaviour: an async context holding the write lock may take the read lock at once; its
 *   read node reuses the write node's sequence number (a plain ephemeral), so releasing the write lock
 *   afterwards lets no other writer in between (lock downgrade).
 * - Taking the write lock while holding only the read lock waits forever, as in Curator: don't.
 *
 * Both locks are {@link InterProcessMutex} instances (handles with fencing tokens and `lost` signals,
 * `withLock`). Re-entrancy, and the downgrade with it, work only inside `withLock(fn)`: a bare
 * `acquire()` never marks its caller as the holder, so a second bare `acquire()` (or a read after a bare
 * write `acquire()`) in the same function is a new contender that waits behind the first.
 * A queued writer never takes the lock while a downgraded reader holds it: a waiting writer looks at the
 * contenders again after the node it watched is gone, as Curator does.
 *
 * @example
 * ```ts
 * const rw = new InterProcessReadWriteLock(zk, '/locks/catalog');
 * await rw.writeLock().withLock(async () => {
 *   await rewriteCatalog();
 *   await rw.readLock().withLock(() => verifyCatalog()); // downgrade: no other writer can get in
 * });
 * ```
 */
export class InterProcessReadWriteLock {
  /** The locks' shared directory. */
  readonly path: string;
  readonly #write: InterProcessMutex;
  readonly #read: InterProcessMutex;

  constructor(
    framework: ZkFramework,
    path: string,
    options: InterProcessReadWriteLockOptions = {},
  ) {
    this.path = checkLockPath(path);
    const parsed = parseRecipeOptions('InterProcessReadWriteLock', schema, options);
    const mutexOptions = parsed.nodeData === undefined ? {} : { nodeData: parsed.nodeData };
    this.#write = new InterProcessMutex(framework, path, mutexOptions, { driver: writeDriver() });
    this.#read = new InterProcessMutex(framework, path, mutexOptions, {
      driver: readDriver(),
      writeLock: this.#write,
    });
  }

  /**
   * The shared (read) lock. Inside `writeLock().withLock(fn)` its `acquire()` is granted at once (the
   * downgrade); after a bare `writeLock().acquire()` it is not, and waits for that write lock.
   */
  readLock(): InterProcessMutex {
    return this.#read;
  }

  /** The exclusive (write) lock. Re-entrant only inside its `withLock(fn)`, like every mutex here. */
  writeLock(): InterProcessMutex {
    return this.#write;
  }

  /** Closes both locks (aborting waits, releasing holds). Idempotent. */
  async close(): Promise<void> {
    await Promise.all([this.#read.close(), this.#write.close()]);
  }

  /** Same as {@link InterProcessReadWriteLock.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
