import type { Codec, ZkFramework } from '@zookit/framework';

import type { NodeSnapshot } from './cache-types.js';
import { CacheView } from './cache-view.js';
import { parseCacheOptions } from './internal/parse-cache-options.js';

/**
 * Options of {@link PathChildrenCache}.
 *
 * @example
 * ```ts
 * const options: PathChildrenCacheOptions<string> = { codec: utf8Codec };
 * ```
 */
export interface PathChildrenCacheOptions<T> {
  /** How to decode each child's bytes. Default `bytesCodec` (a `Buffer`). */
  readonly codec?: Codec<T>;
}

/**
 * Keeps the children of one node and their data (Curator's `PathChildrenCache`); the parent itself is not
 * an entry. Children created and deleted in bursts end equal to the server's list. If the parent is
 * missing, the cache is empty until it is created. It only reads (no parent container is created).
 *
 * @example
 * ```ts
 * const workers = new PathChildrenCache(zk, '/workers', { codec: utf8Codec });
 * workers.onEvent((e) => { if (e.type === 'created') console.log('joined', e.path); });
 * await workers.start();
 * workers.entries().map((s) => s.data);   // string[], local
 * await workers.close();
 * ```
 */
export class PathChildrenCache<T = Buffer> extends CacheView<
  T,
  ReadonlyMap<string, NodeSnapshot<T>>
> {
  /**
   * @param framework - the framework to read through (its namespace applies).
   * @param path - the parent whose children are cached.
   * @param options - see {@link PathChildrenCacheOptions}; a bad field throws `InvalidArgumentError`.
   */
  constructor(framework: ZkFramework, path: string, options: PathChildrenCacheOptions<T> = {}) {
    const parsed = parseCacheOptions<T>('PathChildrenCache', path, options, ['codec']);
    super(
      framework,
      { name: 'PathChildrenCache', path, mode: 'children', maxDepth: 1, codec: parsed.codec },
      true,
    );
  }

  /** The child at full path `path`, if cached with valid data. Local. */
  get(path: string): NodeSnapshot<T> | undefined {
    return path === this.path ? undefined : this.snapshotOf(path);
  }

  /** Every child with valid data, sorted by path. Local. */
  entries(): NodeSnapshot<T>[] {
    return this.allSnapshots();
  }

  /** Number of children with valid data. */
  get size(): number {
    return this.snapshotCount();
  }

  /** @internal */
  protected currentData(): ReadonlyMap<string, NodeSnapshot<T>> {
    return new Map(this.allSnapshots().map((s) => [s.path, s]));
  }
}
