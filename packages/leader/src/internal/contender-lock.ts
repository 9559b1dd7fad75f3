import { joinPath, NoNodeError, nodeName } from '@zookit/client';
import type { Stat } from '@zookit/client';
import type { ZkFramework } from '@zookit/framework';
import { OwnedNode, SequentialContenders, WatcherScope } from '@zookit/framework/recipe-kit';

import { untilDoneIfConnected, whenWritable, writableConnection } from './connection-guards.js';

/** A lock node we hold. */
export interface HeldLock {
  /** Our node (framework-relative). */
  readonly path: string;
  /** The node's czxid. */
  readonly fencingToken: bigint;
  /** Deletes the node (guaranteed delete; in the background when not connected). Idempotent. */
  release(): Promise<void>;
}

/**
 * One acquisition of Curator's `InterProcessMutex` protocol (`LockInternals.attemptLock` /
 * `internalLockLoop`), built only on the recipe kit: a protected ephemeral-sequential `<path>/_c_<uuid>-lock-<seq>`
 * node, the lowest sequence holds, everyone else waits on a `getData` watch of its immediate predecessor.
 * Holding is declared only after our node's `ephemeralOwner` was checked against the current session.
 *
 * It has no connection handling of its own: the caller aborts `signal` when the connection can no longer
 * be trusted (LeaderSelector does so from its reconciler's `invalidate`). On abort or failure our node is
 * deleted (guaranteed) before the promise rejects.
 *
 * Shared logic with `@zookit/locks`' InterProcessMutex: to be merged into one kit-level class.
 */
export class ContenderLock {
  readonly #framework: ZkFramework;
  readonly #contenders: SequentialContenders;
  readonly #nodePath: string;
  readonly #data: Buffer;
  #wakeups = 0;

  constructor(framework: ZkFramework, basePath: string, lockName: string, data: Buffer) {
    this.#framework = framework;
    this.#contenders = new SequentialContenders(framework, basePath, lockName);
    this.#nodePath = joinPath(basePath, lockName);
    this.#data = data;
  }

  /** The contenders (for participant listings). */
  get contenders(): SequentialContenders {
    return this.#contenders;
  }

  /** How often a predecessor watch of this lock woke a waiting acquisition. */
  get wakeups(): number {
    return this.#wakeups;
  }

  /** Waits until we hold the lock. Rejects with `signal.reason` on abort (after deleting our node). */
  async acquire(signal: AbortSignal): Promise<HeldLock> {
    const node = new OwnedNode(this.#framework, { path: this.#nodePath, data: this.#data });
    const scope = new WatcherScope(this.#framework);
    try {
      for (;;) {
        signal.throwIfAborted();
        const current = node.path;
        const ours =
          current !== undefined && node.ownerSessionId === this.#framework.sessionId ? current : await node.ensure(signal);
        const [sorted, stat] = await Promise.all([this.#contenders.getSortedChildren(signal), this.#statOf(ours, signal)]);
        const name = nodeName(ours);
        if (stat === null || !sorted.includes(name) || !node.verifyOwnership(stat)) {
          // Our node vanished or belongs to an older session: Curator re-creates it (NoNode retry).
          await node.discard();
          continue;
        }
        const position = this.#contenders.position(sorted, name);
        if (position.isHolder) {
          signal.throwIfAborted();
          // Not connected or read-only: our session may be gone on the quorum side. Look again when back.
          if (!writableConnection(this.#framework)) {
            await whenWritable(this.#framework, signal);
            continue;
          }
          scope.close();
          return { path: ours, fencingToken: stat.czxid, release: () => untilDoneIfConnected(this.#framework, node.close()) };
        }
        scope.invalidate();
        let wake = (): void => undefined;
        const woken = new Promise<void>((resolve) => {
          wake = resolve;
        });
        const watching = await this.#contenders.watchPredecessor(
          position.predecessor ?? '',
          scope.wrap(() => {
            this.#wakeups++;
            wake();
          }),
          signal,
        );
        if (watching) await untilAborted(woken, signal);
      }
    } catch (error) {
      scope.close();
      await untilDoneIfConnected(this.#framework, node.close());
      throw error;
    }
  }

  async #statOf(path: string, signal: AbortSignal): Promise<Stat | null> {
    try {
      return (await this.#framework.getData(path, { signal })).stat;
    } catch (error) {
      if (error instanceof NoNodeError) return null;
      throw error;
    }
  }
}

/** Resolves with `promise`, or rejects with `signal.reason` as soon as it aborts. */
function untilAborted(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
