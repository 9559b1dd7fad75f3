import { CreateMode } from '@zookit/client';
import type { ZkFramework } from '@zookit/framework';
import { fixForSorting, localAddress, parseRecipeOptions } from '@zookit/framework/recipe-kit';
import { RecipeStateError } from '@zookit/framework';
import { Subject } from 'rxjs';
import type { Observable } from 'rxjs';
import { z } from 'zod';

import { AcquireContext } from './internal/acquire-context.js';
import { standardDriver, READ_LOCK_NAME, WRITE_LOCK_NAME } from './internal/lock-driver.js';
import type { LockDriver } from './internal/lock-driver.js';
import { LockInternals } from './internal/lock-internals.js';
import type { LockNode } from './internal/lock-node.js';
import { checkLockPath } from './internal/parse-options.js';
import { currentHold, runHolding } from './internal/reentrancy.js';
import { LockNotHeldError } from './lock-not-held-error.js';
import type {
  InterProcessLock,
  LockAcquireOptions,
  LockHandle,
  RevocationRequest,
} from './lock-handle.js';

/**
 * Curator's `LOCK_NAME`: mutex nodes are `_c_<uuid>-lock-<seq>`.
 *
 * @example
 * ```ts
 * (await zk.getChildren('/locks/orders')).filter((n) => n.includes(LOCK_NAME));
 * ```
 */
export const LOCK_NAME = 'lock-';

/**
 * Options of {@link InterProcessMutex}.
 *
 * @example
 * ```ts
 * new InterProcessMutex(zk, '/locks/orders', { nodeData: 'worker-7' });
 * ```
 */
export interface InterProcessMutexOptions {
  /** Data of the lock node. Default: the local IP address, as Curator writes. Ignored when revocable. */
  readonly nodeData?: string | Uint8Array;
  /**
   * Makes the lock revocable (Curator's `makeRevocable`): called when someone writes `__REVOKE__` into the
   * holder's node (`attemptRevoke`). Cooperative: the holder decides whether to release. Revocable lock
   * nodes hold empty data, as in Curator.
   */
  readonly onRevocationRequested?: (request: RevocationRequest) => void;
}

const schema = z
  .object({
    nodeData: z.union([z.string(), z.instanceof(Uint8Array)]).optional(),
    onRevocationRequested: z
      .custom<(request: RevocationRequest) => void>(
        (v) => typeof v === 'function',
        'must be a function',
      )
      .optional(),
  })
  .strict();

/**
 * @internal How the read/write lock specialises the mutex.
 *
 * @example
 * ```ts
 * new InterProcessMutex(zk, path, {}, { driver: writeDriver() });
 * ```
 */
export interface MutexVariant {
  readonly driver: LockDriver;
  /** The read lock: the write lock whose holder may read at once (Curator 5.5 downgrade). */
  readonly writeLock?: InterProcessMutex;
}

/**
 * Curator's `InterProcessMutex`: a distributed, re-entrant, fair (FIFO) mutex, wire-compatible with
 * Curator on the same path (nodes `<path>/_c_<uuid>-lock-<seq>`, ephemeral-sequential, protected,
 * container parents; each waiter watches only its predecessor, with `getData`).
 *
 * - `acquire()` returns a {@link LockHandle}: `fencingToken` (the node's czxid), `lost` (an AbortSignal
 *   fired at the first sign the lock can no longer be trusted: `suspended` under the standard error policy,
 *   `lost`, the framework's lease deadline under every policy, node deleted) and `release()`.
 * - Mutually exclusive between processes AND between async call chains of one process. Re-entrant only
 *   inside `withLock(fn)`: there, further `acquire()`/`withLock()` on the same instance (also from tasks
 *   `fn` starts) take no new node (Curator's per-thread re-entrancy). Two bare `acquire()` calls in one
 *   function are two contenders: the second waits for the first (see {@link InterProcessMutex.acquire}).
 * - Timeouts and aborts delete the contender node before rejecting. Release is a guaranteed delete.
 * - A held lock is never silently re-acquired: once `lost` fires, the handle stays lost.
 *
 * @example
 * ```ts
 * const mutex = new InterProcessMutex(zk, '/locks/orders');
 * await mutex.withLock(async (lost) => {
 *   await processOrders({ signal: lost });
 * }, { timeoutMs: 5_000 });
 * ```
 */
export class InterProcessMutex implements InterProcessLock, AsyncDisposable {
  /** The lock's directory. */
  readonly path: string;
  readonly #engine: LockInternals;
  readonly #variant: MutexVariant;
  readonly #close = new AbortController();
  readonly #held = new Set<LockNode>();
  readonly #errors = new Subject<Error>();

  /** @param variant - internal: used by `InterProcessReadWriteLock`. */
  constructor(
    framework: ZkFramework,
    path: string,
    options: InterProcessMutexOptions = {},
    variant?: MutexVariant,
  ) {
    this.path = checkLockPath(path);
    const parsed = parseRecipeOptions('InterProcessMutex', schema, options);
    this.#variant = variant ?? { driver: standardDriver(LOCK_NAME) };
    const revocable = parsed.onRevocationRequested;
    const data = revocable === undefined ? (parsed.nodeData ?? localAddress()) : null;
    this.#engine = new LockInternals(framework, {
      basePath: this.path,
      driver: this.#variant.driver,
      nodeData: () => data,
      onRevoke: revocable,
      reportError: (error) => {
        if (!this.#errors.closed)
          this.#errors.next(error instanceof Error ? error : new Error(String(error)));
      },
    });
  }

  /**
   * Acquires the lock, waiting as long as `timeoutMs` allows (forever by default). Rejects with
   * `LockTimeoutError` on timeout, with the signal's reason on abort, and with `RecipeStateError` after
   * `close()`; in every case no node is left behind.
   *
   * **Re-entrant only inside `withLock(fn)`.** There (also in tasks `fn` starts) it returns a handle on the
   * held node at once (`LockLostError` if that lock is already lost). A bare `acquire()` does NOT mark its
   * caller as the holder: `await m.acquire(); await m.acquire();` in one function creates a second node
   * that waits behind the first, until `timeoutMs` (forever without one). This is deliberate: marking the
   * caller's async context from inside `acquire()` would leak into every chain that context starts later,
   * and those siblings would then walk into the lock unexcluded. Safety over liveness: use `withLock`, or
   * pass the handle along instead of acquiring again.
   *
   * @example
   * ```ts
   * // Re-entrant: the inner call takes no new node.
   * await mutex.withLock(async () => {
   *   await mutex.withLock(() => step()); // or: const inner = await mutex.acquire();
   * });
   *
   * // NOT re-entrant: the second call waits for the first hold, here until LockTimeoutError.
   * const lock = await mutex.acquire();
   * await mutex.acquire({ timeoutMs: 1_000 }); // rejects: pass `lock` along instead
   * ```
   */
  async acquire(options: LockAcquireOptions = {}): Promise<LockHandle> {
    return (await this.#take(options)).handle;
  }

  /**
   * Runs `fn` holding the lock and releases it afterwards, even if `fn` throws. `fn` receives the lock's
   * `lost` signal and its handle (for the fencing token). Calls on this instance inside `fn` are re-entrant.
   */
  async withLock<T>(
    fn: (lost: AbortSignal, lock: LockHandle) => T | Promise<T>,
    options: LockAcquireOptions = {},
  ): Promise<T> {
    const { node, handle } = await this.#take(options);
    const outer = currentHold(this);
    const hold = outer?.node === node ? outer : { node, handles: [handle] };
    try {
      return await runHolding(this, hold, () => fn(node.lost, handle));
    } finally {
      await handle.release();
    }
  }

  /**
   * Releases the most recent hold of the calling async context (inside `withLock`), like Curator's
   * `release()`. Throws {@link LockNotHeldError} when this context holds none. Prefer `handle.release()`.
   */
  async release(): Promise<void> {
    const handles = currentHold(this)?.handles ?? [];
    for (let i = handles.length - 1; i >= 0; i--) {
      const handle = handles[i];
      if (handle !== undefined && !handle.released) {
        await handle.release();
        return;
      }
    }
    throw new LockNotHeldError(this.path);
  }

  /**
   * Background failures: a revocation listener that threw, a clean-up after an aborted acquisition that
   * failed. Hot, never errors, completes on `close()`.
   */
  get errors$(): Observable<Error> {
    return this.#errors.asObservable();
  }

  /** True while any async context of this process holds the lock through this instance. */
  isAcquiredInThisProcess(): boolean {
    return this.#held.size > 0;
  }

  /** True if the calling async context (a `withLock` scope) holds the lock. */
  isOwnedByCurrentContext(): boolean {
    return currentHold(this)?.node.state === 'held';
  }

  /** Full paths of the contenders' nodes, in lock order (the holder first). */
  getParticipantNodes(options: { signal?: AbortSignal } = {}): Promise<string[]> {
    return this.#engine.getParticipantNodes(options.signal);
  }

  /** Aborts pending acquisitions and releases every lock held through this instance. Idempotent. */
  async close(): Promise<void> {
    this.#close.abort(new RecipeStateError('closed', `InterProcessMutex ${this.path} was closed`));
    await this.#engine.settle();
    await Promise.all([...this.#held].map((node) => node.delete()));
    this.#held.clear();
    this.#errors.complete();
  }

  /** Same as {@link InterProcessMutex.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #take(options: LockAcquireOptions): Promise<{ node: LockNode; handle: LockHandle }> {
    const hold = currentHold(this);
    if (hold !== undefined && hold.node.state === 'held') {
      if (hold.node.lost.aborted) throw hold.node.lost.reason;
      const handle = hold.node.newHandle();
      hold.handles.push(handle);
      return { node: hold.node, handle };
    }
    const ctx = new AcquireContext(this.path, options, this.#close.signal);
    try {
      const write =
        this.#variant.writeLock === undefined ? undefined : currentHold(this.#variant.writeLock);
      const node =
        write !== undefined && write.node.state === 'held'
          ? await this.#engine.acquire(ctx, {
              // Curator 5.5+: the read node of a write holder takes the write node's sequence number, as a
              // plain ephemeral, so no later writer can slip in between when the write lock is released.
              name: `${READ_LOCK_NAME}${fixForSorting(write.node.name, WRITE_LOCK_NAME)}`,
              mode: CreateMode.Ephemeral,
              immediate: true,
            })
          : await this.#engine.acquire(ctx);
      this.#held.add(node);
      node.onDelete = () => this.#held.delete(node);
      return { node, handle: node.newHandle() };
    } finally {
      ctx.dispose();
    }
  }
}
