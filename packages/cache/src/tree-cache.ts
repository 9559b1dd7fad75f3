import type { Codec, ZkFramework } from '@zookit/framework';

import type { NodeSnapshot } from './cache-types.js';
import { CacheView } from './cache-view.js';
import { parseCacheOptions } from './internal/parse-cache-options.js';

/**
 * Options of {@link TreeCache}.
 *
 * @example
 * ```ts
 * const options: TreeCacheOptions<unknown> = { codec: jsonCodec(), maxDepth: 2 };
 * ```
 */
export interface TreeCacheOptions<T> {
  /** How to decode each node's bytes. Default `bytesCodec` (a `Buffer`). */
  readonly codec?: Codec<T>;
  /**
   * Deepest level cached, the root being 0 (Curator's `setMaxDepth`): 0 caches the root only, 1 the root
   * and its children. Default unlimited.
   */
  readonly maxDepth?: number;
}

/**
 * Keeps a whole subtree (Curator's `TreeCache`, and what `CuratorCache` falls back to without persistent
 * watches): the root and every descendant down to `maxDepth`, with data. Two one-shot watches per node;
 * after any burst of changes, and after a new session, it ends equal to the server's tree. It only reads.
 *
 * @example
 * ```ts
 * const tree = new TreeCache(zk, '/services', { codec: jsonCodec(), maxDepth: 2 });
 * await tree.start();
 * tree.get('/services/api/i-1')?.data;   // local
 * tree.children('/services/api');        // ['i-1', 'i-2']
 * await tree.close();
 * ```
 */
export class TreeCache<T = Buffer> extends CacheView<T, ReadonlyMap<string, NodeSnapshot<T>>> {
  /**
   * @param framework - the framework to read through (its namespace applies).
   * @param path - the root of the cached subtree.
   * @param options - see {@link TreeCacheOptions}; a bad field throws `InvalidArgumentError` naming it.
   */
  constructor(framework: ZkFramework, path: string, options: TreeCacheOptions<T> = {}) {
    const parsed = parseCacheOptions<T>('TreeCache', path, options, ['codec', 'maxDepth']);
    super(
      framework,
      { name: 'TreeCache', path, mode: 'tree', maxDepth: parsed.maxDepth, codec: parsed.codec },
      true,
    );
  }

  /** The node at full path `path`, if cached with valid data. Local. */
  get(path: string): NodeSnapshot<T> | undefined {
    return this.snapshotOf(path);
  }

  /** Names of the cached children of `path` (sorted), or `undefined` if `path` is not cached. Local. */
  children(path: string): string[] | undefined {
    return this.childrenOf(path);
  }

  /** Every node with valid data, sorted by path. Local. */
  entries(): NodeSnapshot<T>[] {
    return this.allSnapshots();
  }

  /** Number of nodes with valid data. */
  get size(): number {
    return this.snapshotCount();
  }

  /** @internal */
  protected currentData(): ReadonlyMap<string, NodeSnapshot<T>> {
    return new Map(this.allSnapshots().map((s) => [s.path, s]));
  }
}
