import { NoNodeError } from '@zookit/client';
import { fixForSorting, sortContenders } from '@zookit/framework/recipe-kit';

/**
 * What a contender must do next: it holds the lock, or it watches one node and looks again. With
 * `holdsWhenGone`, the deletion of the watched node alone proves we hold, so the re-listing round trip is
 * skipped on hand-over. A driver may set it only where no node that blocks us can ever be created
 * before ours: nodes that block us are always sequential, and sequence numbers only grow. That holds for
 * the mutex (and so the semaphore's inner lock, the leader selector) and for the read lock (only writers
 * block a reader, and a writer's node is always sequential). It does NOT hold for the write lock: the
 * holder's downgrade read node (`__READ__<writeSeq>`, a plain ephemeral) is created at any time and sorts
 * level with the holder's write node, before ours, so a writer always looks again (as Curator does).
 */
export type LockDecision =
  | { readonly holds: true }
  | { readonly holds: false; readonly watch: string; readonly holdsWhenGone: boolean };

/**
 * Curator's `LockInternalsDriver`: how a lock names its nodes, sorts the contenders and decides who
 * holds it. The mutex, the read/write lock and the semaphore's inner lock differ only here.
 */
export interface LockDriver {
  /** The name after the protected prefix, e.g. `lock-` (the sequence number follows it). */
  readonly lockName: string;
  sort(children: readonly string[]): string[];
  /** Throws `NoNodeError` when our node is not among `sorted` (Curator's "Sequential path not found"). */
  decide(sorted: readonly string[], ourName: string, basePath: string): LockDecision;
}

/** Curator's `StandardLockInternalsDriver`: the first `maxLeases` contenders hold; watch `ourIndex - maxLeases`. */
export function standardDriver(lockName: string, maxLeases = 1): LockDriver {
  return {
    lockName,
    sort: (children) => sortContenders(children, lockName),
    decide(sorted, ourName, basePath) {
      const ourIndex = sorted.indexOf(ourName);
      if (ourIndex < 0) throw new NoNodeError({ path: `${basePath}/${ourName}` });
      if (ourIndex < maxLeases) return { holds: true };
      return {
        holds: false,
        watch: sorted[ourIndex - maxLeases] ?? '',
        holdsWhenGone: ourIndex === maxLeases,
      };
    },
  };
}

/**
 * Node name of the read/write lock's readers (same length as the writers' on purpose).
 *
 * @example
 * ```ts
 * (await rw.readLock().acquire()).nodePath.includes(READ_LOCK_NAME); // true
 * ```
 */
export const READ_LOCK_NAME = '__READ__';
/**
 * Node name of the read/write lock's writers.
 *
 * @example
 * ```ts
 * (await rw.writeLock().acquire()).nodePath.includes(WRITE_LOCK_NAME); // true
 * ```
 */
export const WRITE_LOCK_NAME = '__WRIT__';

/** Curator's `SortingLockInternalsDriver`: strip through the last `__READ__`, then the last `__WRIT__`. */
export function sortReadWrite(children: readonly string[]): string[] {
  const key = (name: string): string =>
    fixForSorting(fixForSorting(name, READ_LOCK_NAME), WRITE_LOCK_NAME);
  return [...children].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/**
 * The write lock: the standard driver over the shared read/write ordering, without the hand-over shortcut.
 * When the node we watch goes, its holder may have downgraded first (Curator 5.5+): a `__READ__<seq>` node
 * that sorts level with its write node now comes before ours and still excludes us, so only a fresh
 * listing can tell whether we hold.
 */
export function writeDriver(): LockDriver {
  const standard = standardDriver(WRITE_LOCK_NAME, 1);
  return {
    lockName: WRITE_LOCK_NAME,
    sort: sortReadWrite,
    decide(sorted, ourName, basePath) {
      const decision = standard.decide(sorted, ourName, basePath);
      return decision.holds ? decision : { ...decision, holdsWhenGone: false };
    },
  };
}

/**
 * Curator's read-lock predicate: granted iff our node comes before the first writer; otherwise watch that
 * FIRST writer (not the nearest one). Our node is matched with `startsWith`, as Curator does.
 */
export function readDriver(): LockDriver {
  return {
    lockName: READ_LOCK_NAME,
    sort: sortReadWrite,
    decide(sorted, ourName, basePath) {
      let firstWrite = Number.POSITIVE_INFINITY;
      let ourIndex = -1;
      for (const [index, node] of sorted.entries()) {
        if (node.includes(WRITE_LOCK_NAME)) firstWrite = Math.min(firstWrite, index);
        else if (node.startsWith(ourName)) {
          ourIndex = index;
          break;
        }
      }
      if (ourIndex < 0) throw new NoNodeError({ path: `${basePath}/${ourName}` });
      if (ourIndex < firstWrite) return { holds: true };
      // Another writer between the first one and us keeps us waiting: look again. With a single writer
      // ahead its deletion proves we hold: a writer's node is always sequential, so none can appear before
      // ours later, and read nodes (a downgrade's included) never exclude a reader.
      const writers = sorted.slice(0, ourIndex).filter((n) => n.includes(WRITE_LOCK_NAME)).length;
      return { holds: false, watch: sorted[firstWrite] ?? '', holdsWhenGone: writers === 1 };
    },
  };
}
