import { InvalidArgumentError, NoNodeError } from '@zookit/client';
import type { WatchListener } from '@zookit/client';

import { joinChild } from '../internal/node-operations.js';
import type { ZkFramework } from '../zk-framework.js';

/**
 * Curator's `StandardLockInternalsDriver.fixForSorting`: the part of the name after the LAST occurrence of
 * the lock name (so a protected `_c_<uuid>-` prefix does not affect ordering), or the whole name when the
 * lock name does not occur.
 *
 * @example
 * ```ts
 * fixForSorting('_c_8aec7b67-1b2c-4d5e-8f90-123456789abc-lock-0000000003', 'lock-'); // '0000000003'
 * fixForSorting('foreign', 'lock-');                                                  // 'foreign'
 * ```
 */
export function fixForSorting(name: string, lockName: string): string {
  const index = name.lastIndexOf(lockName);
  return index >= 0 ? name.slice(index + lockName.length) : name;
}

/**
 * Children sorted like Curator's `LockInternals.getSortedChildren` (natural string order of
 * {@link fixForSorting}; JavaScript compares UTF-16 code units exactly as Java's `String.compareTo`).
 *
 * @example
 * ```ts
 * sortContenders(['x-lock-0000000002', 'y-lock-0000000001'], 'lock-'); // ['y-lock-0000000001', 'x-lock-0000000002']
 * ```
 */
export function sortContenders(children: readonly string[], lockName: string): string[] {
  return [...children].sort((a, b) => {
    const fa = fixForSorting(a, lockName);
    const fb = fixForSorting(b, lockName);
    return fa < fb ? -1 : fa > fb ? 1 : 0;
  });
}

/**
 * Where a contender stands.
 *
 * @example
 * ```ts
 * const { isHolder, predecessor } = contenders.position(sorted, ourName);
 * ```
 */
export interface ContenderPosition {
  /** The children, sorted. */
  readonly sorted: readonly string[];
  /** Our position in `sorted`. */
  readonly ourIndex: number;
  /** True when `ourIndex < maxLeases`: we hold the lock / leadership / lease. */
  readonly isHolder: boolean;
  /** The node to watch when not a holder: `sorted[ourIndex - maxLeases]`. */
  readonly predecessor: string | undefined;
}

/**
 * Curator's `LockInternals` positioning for sequential contenders (locks, latches, semaphores, queues):
 * sorted children, our index, the predecessor to watch (with `maxLeases` for semaphores), a predecessor
 * watch set with `getData` (so no watch is left on a missing node), and the participant list.
 *
 * @example
 * ```ts
 * const contenders = new SequentialContenders(zk, '/locks/orders', 'lock-');
 * const pos = contenders.position(await contenders.getSortedChildren(), ourName);
 * if (!pos.isHolder && pos.predecessor !== undefined) {
 *   const watching = await contenders.watchPredecessor(pos.predecessor, scope.wrap(() => reconciler.trigger('watchFired')));
 *   if (!watching) reconciler.trigger('watchFired'); // predecessor already gone
 * }
 * ```
 */
export class SequentialContenders {
  readonly #framework: ZkFramework;
  /** The parent path of the contenders' nodes. */
  readonly basePath: string;
  /** The recipe's lock name, e.g. `lock-` or `latch-`. */
  readonly lockName: string;
  /** How many contenders hold at once (1 for a mutex or leader). */
  readonly maxLeases: number;

  constructor(
    framework: ZkFramework,
    basePath: string,
    lockName: string,
    options: { maxLeases?: number } = {},
  ) {
    const maxLeases = options.maxLeases ?? 1;
    if (!Number.isInteger(maxLeases) || maxLeases < 1) {
      throw new InvalidArgumentError(
        'maxLeases',
        `must be an integer >= 1, got ${String(maxLeases)}`,
      );
    }
    this.#framework = framework;
    this.basePath = basePath;
    this.lockName = lockName;
    this.maxLeases = maxLeases;
  }

  /** The base path's children, sorted; a missing base path gives `[]`. */
  async getSortedChildren(signal?: AbortSignal): Promise<string[]> {
    try {
      const children = await this.#framework.getChildren(
        this.basePath,
        signal === undefined ? {} : { signal },
      );
      return sortContenders(children, this.lockName);
    } catch (error) {
      if (error instanceof NoNodeError) return [];
      throw error;
    }
  }

  /** Our position. Throws `NoNodeError` ("sequential path not found") if our node is not among them. */
  position(sorted: readonly string[], ourName: string): ContenderPosition {
    const ourIndex = sorted.indexOf(ourName);
    if (ourIndex < 0) throw new NoNodeError({ path: joinChild(this.basePath, ourName) });
    const isHolder = ourIndex < this.maxLeases;
    return {
      sorted,
      ourIndex,
      isHolder,
      predecessor: isHolder ? undefined : sorted[ourIndex - this.maxLeases],
    };
  }

  /**
   * Watches the predecessor with `getData` (not `exists`: no watch is left behind on a missing node).
   * Resolves true if the watch is set, false if the predecessor is already gone (look again at once).
   */
  async watchPredecessor(
    name: string,
    listener: WatchListener,
    signal?: AbortSignal,
  ): Promise<boolean> {
    try {
      await this.#framework.getData(joinChild(this.basePath, name), {
        watch: listener,
        ...(signal === undefined ? {} : { signal }),
      });
      return true;
    } catch (error) {
      if (error instanceof NoNodeError) return false;
      throw error;
    }
  }

  /** Full paths of the contenders, sorted (Curator's `getParticipantNodes`). */
  async getParticipantNodes(signal?: AbortSignal): Promise<string[]> {
    return (await this.getSortedChildren(signal)).map((c) => joinChild(this.basePath, c));
  }
}
