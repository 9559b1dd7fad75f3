/**
 * What a one-shot (or persistent) watch reports. Like ZooKeeper's own events, it carries no data: re-read
 * the node to learn its state.
 *
 * @example
 * ```ts
 * await client.getData('/cfg', { watch: (e) => { if (e.type === 'dataChanged') void reload(e.path); } });
 * ```
 */
export interface WatchEvent {
  /** What happened to the node. */
  readonly type: WatchEventType;
  /** The node's path (relative to the chroot, if any). */
  readonly path: string;
}

/**
 * Node event types (`Watcher.Event.EventType`, without the session-only `None`).
 *
 * @example
 * ```ts
 * await client.addWatch('/cfg', 'persistentRecursive', (e) => {
 *   if (e.type === WatchEventType.Deleted) console.log(`${e.path} is gone`);
 * });
 * ```
 */
export const WatchEventType = {
  Created: 'created',
  Deleted: 'deleted',
  DataChanged: 'dataChanged',
  ChildrenChanged: 'childrenChanged',
  DataWatchRemoved: 'dataWatchRemoved',
  ChildWatchRemoved: 'childWatchRemoved',
  PersistentWatchRemoved: 'persistentWatchRemoved',
} as const;

/** One of the {@link WatchEventType} values. */
export type WatchEventType = (typeof WatchEventType)[keyof typeof WatchEventType];

/**
 * A watch callback. It runs at most once for a one-shot watch.
 *
 * @example
 * ```ts
 * const onChange: WatchListener = (e) => void reload(e.path); // re-read: events carry no data
 * await client.getData('/cfg', { watch: onChange });
 * ```
 */
export type WatchListener = (event: WatchEvent) => void;

/**
 * Maps ZooKeeper's numeric event type (`Watcher.Event.EventType.getIntValue`) to {@link WatchEventType}.
 *
 * @example
 * ```ts
 * watchEventTypeFromInt[3]; // 'dataChanged'
 * ```
 */
export const watchEventTypeFromInt: Readonly<Record<number, WatchEventType>> = {
  1: 'created',
  2: 'deleted',
  3: 'dataChanged',
  4: 'childrenChanged',
  5: 'dataWatchRemoved',
  6: 'childWatchRemoved',
  7: 'persistentWatchRemoved',
};
