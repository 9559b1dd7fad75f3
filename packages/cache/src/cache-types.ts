import type { Stat } from '@zookit/client';

/**
 * The last valid state of one cached node: its path, the stat read with the data, and the data decoded by
 * the cache's codec. Immutable; a change produces a new snapshot.
 *
 * @example
 * ```ts
 * const snap: NodeSnapshot<Config> | undefined = cache.current();
 * if (snap !== undefined) console.log(snap.path, snap.stat.version, snap.data.port);
 * ```
 */
export interface NodeSnapshot<T> {
  /** Full path (relative to the framework's namespace). */
  readonly path: string;
  /** The stat returned by the read that produced `data`. */
  readonly stat: Stat;
  /** The decoded data. */
  readonly data: T;
}

/**
 * What a cache reports on `events$`. `previous` and `current` are the last valid snapshots before and
 * after the change. A cache is a convergent snapshot, not an event log: changes that happen between a
 * watch firing and the re-read merge into one `changed`.
 *
 * @example
 * ```ts
 * cache.onEvent((e) => {
 *   if (e.type === 'changed') console.log(e.path, e.previous.data, '→', e.current.data);
 * });
 * ```
 */
export type CacheEvent<T> =
  | {
      readonly type: 'created';
      readonly path: string;
      readonly previous: undefined;
      readonly current: NodeSnapshot<T>;
    }
  | {
      readonly type: 'changed';
      readonly path: string;
      readonly previous: NodeSnapshot<T>;
      readonly current: NodeSnapshot<T>;
    }
  | {
      readonly type: 'deleted';
      readonly path: string;
      readonly previous: NodeSnapshot<T>;
      readonly current: undefined;
    }
  | { readonly type: 'initialized' };

/**
 * The `type` of a {@link CacheEvent}.
 *
 * @example
 * ```ts
 * const seen: CacheEventType[] = [];
 * cache.onEvent((e) => seen.push(e.type));
 * ```
 */
export type CacheEventType = CacheEvent<unknown>['type'];
