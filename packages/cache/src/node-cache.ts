import type { Codec, ZkFramework } from '@zookit/framework';

import type { NodeSnapshot } from './cache-types.js';
import { CacheView } from './cache-view.js';
import { parseCacheOptions } from './internal/parse-cache-options.js';

/**
 * Options of {@link NodeCache}.
 *
 * @example
 * ```ts
 * const options: NodeCacheOptions<Config> = { codec: jsonCodec(ConfigSchema) };
 * ```
 */
export interface NodeCacheOptions<T> {
  /** How to decode the node's bytes. Default `bytesCodec` (a `Buffer`). */
  readonly codec?: Codec<T>;
}

/**
 * Keeps the latest valid value of one node (Curator's `NodeCache`), locally and synchronously readable.
 * Converges to the server's final value after any burst of writes; with a zod codec, invalid data goes to
 * `errors$` and the last valid value stays. A missing node reads as `undefined` and is picked up when
 * created. Wire-compatible: it only reads (no parent containers are created, unlike Curator's NodeCache).
 *
 * @example
 * ```ts
 * const cache = new NodeCache(zk, '/config/app', { codec: jsonCodec(ConfigSchema) });
 * cache.onError((e) => log.warn(e.message));
 * await cache.start({ timeoutMs: 10_000 });
 * cache.current()?.data;                  // Config | undefined, local
 * cache.data$.subscribe((config) => reload(config));
 * await cache.close();
 * ```
 */
export class NodeCache<T = Buffer> extends CacheView<T, T | undefined> {
  /**
   * @param framework - the framework to read through (its namespace applies).
   * @param path - the node to cache.
   * @param options - see {@link NodeCacheOptions}; a bad field throws `InvalidArgumentError` naming it.
   */
  constructor(framework: ZkFramework, path: string, options: NodeCacheOptions<T> = {}) {
    const parsed = parseCacheOptions<T>('NodeCache', path, options, ['codec']);
    super(
      framework,
      { name: 'NodeCache', path, mode: 'node', maxDepth: 0, codec: parsed.codec },
      false,
    );
  }

  /** The node's last valid snapshot, or `undefined` (missing, never valid, or not loaded yet). Local. */
  current(): NodeSnapshot<T> | undefined {
    return this.snapshotOf(this.path);
  }

  /** @internal */
  protected currentData(): T | undefined {
    return this.current()?.data;
  }
}
