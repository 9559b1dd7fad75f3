import type { WatchEvent, WatchEventType, WatchListener } from '../watch-event.js';
import type { WatchLists } from './records/session-records.js';

/** The five kinds of registration, as the Java client's `ZKWatchManager` keeps them. */
export type WatchKind = 'data' | 'exist' | 'child' | 'persistent' | 'persistentRecursive';

/** A listener paired with the event to deliver to it. */
export interface WatchDelivery {
  readonly listener: WatchListener;
  readonly event: WatchEvent;
}

const EVENT_CREATED = 1;
const EVENT_DELETED = 2;
const EVENT_DATA_CHANGED = 3;
const EVENT_CHILDREN_CHANGED = 4;

/**
 * Client-side watch registry, keyed by server path (chroot included, so `SetWatches` can send the keys as
 * they are and `/zookeeper/config` is never prefixed). Semantics follow the Java client's
 * `ZKWatchManager`: the server sends one notification per path and event, and it fans out to every local
 * listener registered for that path in a matching table; one-shot tables are emptied by the event, the
 * persistent ones are not. A listener registered twice on the same path and table is called once.
 *
 * @example
 * ```ts
 * const watches = new WatchManager();
 * watches.add('data', '/a', listener);
 * for (const l of watches.trigger(3, '/a')) l({ type: 'dataChanged', path: '/a' });
 * ```
 */
export class WatchManager {
  private readonly tables: Record<WatchKind, Map<string, Set<WatchListener>>> = {
    data: new Map(),
    exist: new Map(),
    child: new Map(),
    persistent: new Map(),
    persistentRecursive: new Map(),
  };

  /** Registers a listener. */
  add(kind: WatchKind, path: string, listener: WatchListener): void {
    const table = this.tables[kind];
    let set = table.get(path);
    if (set === undefined) {
      set = new Set();
      table.set(path, set);
    }
    set.add(listener);
  }

  /** Whether any listener is registered for the path in one of the given tables. */
  has(path: string, kinds: readonly WatchKind[]): boolean {
    return kinds.some((k) => (this.tables[k].get(path)?.size ?? 0) > 0);
  }

  /** Total number of registered (path, table) pairs, for tests and metrics. */
  get size(): number {
    let n = 0;
    for (const t of Object.values(this.tables)) n += t.size;
    return n;
  }

  /**
   * The listeners a notification reaches, each once; one-shot registrations it fires are removed.
   * `eventType` is the numeric `Watcher.Event.EventType`.
   */
  trigger(eventType: number, path: string): Set<WatchListener> {
    const out = new Set<WatchListener>();
    const take = (kind: WatchKind) => {
      const set = this.tables[kind].get(path);
      if (set === undefined) return;
      this.tables[kind].delete(path);
      for (const l of set) out.add(l);
    };
    switch (eventType) {
      case EVENT_CREATED:
      case EVENT_DATA_CHANGED:
        take('data');
        take('exist');
        break;
      case EVENT_CHILDREN_CHANGED:
        take('child');
        break;
      case EVENT_DELETED:
        take('data');
        take('exist');
        take('child');
        break;
      default:
        break;
    }
    for (const l of this.tables.persistent.get(path) ?? []) out.add(l);
    if (eventType !== EVENT_CHILDREN_CHANGED) {
      for (let p: string | undefined = path; p !== undefined; p = parentOf(p)) {
        for (const l of this.tables.persistentRecursive.get(p) ?? []) out.add(l);
      }
    }
    return out;
  }

  /**
   * Removes the listeners of a path for a `removeWatches` type and returns who must get which
   * "watch removed" event (`clientPath` is the path to report).
   */
  remove(path: string, type: 'children' | 'data' | 'any', clientPath: string): WatchDelivery[] {
    const out: WatchDelivery[] = [];
    const drop = (kind: WatchKind, eventType: WatchEventType) => {
      const set = this.tables[kind].get(path);
      if (set === undefined) return;
      this.tables[kind].delete(path);
      for (const listener of set)
        out.push({ listener, event: { type: eventType, path: clientPath } });
    };
    if (type === 'data' || type === 'any') {
      drop('data', 'dataWatchRemoved');
      drop('exist', 'dataWatchRemoved');
    }
    if (type === 'children' || type === 'any') drop('child', 'childWatchRemoved');
    if (type === 'any') {
      drop('persistent', 'persistentWatchRemoved');
      drop('persistentRecursive', 'persistentWatchRemoved');
    }
    return out;
  }

  /** Removes one listener from one table; true when the path has no listener left in that table. */
  removeListener(kind: WatchKind, path: string, listener: WatchListener): boolean {
    const set = this.tables[kind].get(path);
    if (set === undefined) return false;
    set.delete(listener);
    if (set.size > 0) return false;
    this.tables[kind].delete(path);
    return true;
  }

  /** The armed paths of every table, for `SetWatches`/`SetWatches2` after a reconnect. */
  lists(): WatchLists {
    return {
      data: [...this.tables.data.keys()],
      exist: [...this.tables.exist.keys()],
      child: [...this.tables.child.keys()],
      persistent: [...this.tables.persistent.keys()],
      persistentRecursive: [...this.tables.persistentRecursive.keys()],
    };
  }

  /** Forgets every registration (the session ended). */
  clear(): void {
    for (const t of Object.values(this.tables)) t.clear();
  }
}

function parentOf(path: string): string | undefined {
  if (path === '/') return undefined;
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
