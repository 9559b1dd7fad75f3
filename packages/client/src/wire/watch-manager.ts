import type { WatchEvent, WatchEventType, WatchListener } from '../watch-event.js';
import type { PersistentWatchMode } from '../zk-client.js';
import type { WatchLists } from './records/session-records.js';

/** The five kinds of registration, as the Java client's `ZKWatchManager` keeps them. */
export type WatchKind = 'data' | 'exist' | 'child' | 'persistent' | 'persistentRecursive';

/**
 * The one-shot kinds, which a read (`getData`, `exists`, `getChildren`) leaves.
 *
 * @example
 * ```ts
 * const kinds: OneShotKind[] = ['data', 'exist']; // what an exists() watch may become
 * ```
 */
export type OneShotKind = 'data' | 'exist' | 'child';

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
 * **One registration per path and table (ZOOKEEPER-4466).** ZooKeeper 3.6–3.8 keep one registration per
 * session, path and server table (data: data, exist, persistent and recursive watches; child: child and
 * persistent watches, and on 3.8 a copy of a recursive one that delivers nothing) with the mode last set: a
 * one-shot read watch on a path whose table holds a persistent watch would turn it into a one-shot. So a read whose one-shot kind is {@link covered} is sent
 * without the watch flag: the persistent registration delivers every event the one-shot waits for, and
 * {@link trigger} fires it from that notification. When the last persistent listener of such a path goes
 * while other watches of the path still rely on the server's registration, it *lingers* (nothing is sent)
 * until the path is idle; then `onIdle` removes it with watcher type `any`. Requests in flight count: an
 * `addWatch` covers reads sent after it, and a read relying on a registration keeps it. A one-shot set
 * before the `addWatch` is covered from then on too (3.8 turned its registration into the persistent one).
 * All of this is exact on 3.9+ servers as well, which keep the modes apart: a persistent watch delivers
 * every event a one-shot of its table waits for.
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
  /** `addWatch` requests in flight, by path and mode. */
  private readonly adding = new Map<string, Map<PersistentWatchMode, number>>();
  /** Reads in flight that rely on a persistent registration instead of a watch flag, by path. */
  private readonly relying = new Map<string, number>();
  /** Persistent registrations the server keeps for no local listener, by path (see the class notes). */
  private readonly lingering = new Map<string, Set<PersistentWatchMode>>();
  /** Called with a path whose lingering registration no local watch needs any more. */
  private readonly onIdle: (path: string) => void;

  constructor(onIdle: (path: string) => void = () => undefined) {
    this.onIdle = onIdle;
  }

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
    this.settle(path);
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
      // The server's `any` took the lingering registration too.
      this.lingering.delete(path);
    } else {
      this.settle(path);
    }
    return out;
  }

  /**
   * Whether a one-shot of `kind` on `path` is served by a persistent registration of the same server
   * table (armed, lingering or with its `addWatch` in flight): a read must then not set a server watch.
   */
  covered(kind: OneShotKind, path: string): boolean {
    return this.covering(kind, path, true);
  }

  /**
   * Like {@link covered}, counting only registrations a local persistent listener wants (armed or being
   * added), not lingering ones.
   */
  wanted(kind: OneShotKind, path: string): boolean {
    return this.covering(kind, path, false);
  }

  private covering(kind: OneShotKind, path: string, lingering: boolean): boolean {
    const modes: readonly PersistentWatchMode[] =
      kind === 'child' ? ['persistent'] : ['persistent', 'persistentRecursive'];
    return modes.some((m) => this.holds(m, path, lingering));
  }

  /**
   * Whether the server holds, or is about to hold, a `mode` registration of this session on `path`: armed,
   * with its `addWatch` in flight, or (when `lingering`) kept for one-shot watches that rely on it.
   */
  holds(mode: PersistentWatchMode, path: string, lingering: boolean): boolean {
    return (
      (this.tables[mode].get(path)?.size ?? 0) > 0 ||
      (this.adding.get(path)?.get(mode) ?? 0) > 0 ||
      (lingering && this.lingering.get(path)?.has(mode) === true)
    );
  }

  /** Notes an `addWatch` sent; call the returned function once it has settled (after any registration). */
  beginAdd(mode: PersistentWatchMode, path: string): () => void {
    let modes = this.adding.get(path);
    if (modes === undefined) {
      modes = new Map();
      this.adding.set(path, modes);
    }
    modes.set(mode, (modes.get(mode) ?? 0) + 1);
    return once(() => {
      const m = this.adding.get(path);
      const left = (m?.get(mode) ?? 0) - 1;
      if (left > 0) m?.set(mode, left);
      else m?.delete(mode);
      if (m?.size === 0) this.adding.delete(path);
      this.settle(path);
    });
  }

  /** Notes a read sent without a watch flag because it is covered; call the result once it has settled. */
  beginRelying(path: string): () => void {
    this.relying.set(path, (this.relying.get(path) ?? 0) + 1);
    return once(() => {
      const left = (this.relying.get(path) ?? 0) - 1;
      if (left > 0) this.relying.set(path, left);
      else this.relying.delete(path);
      this.settle(path);
    });
  }

  /**
   * The last local listener of a persistent `mode` on `path` is gone while connected: true when the
   * server's registration must be removed now (with `any`, which is exact: nothing else of the path is
   * armed or on the way); false when other watches of the path may rely on it, so it lingers.
   */
  release(mode: PersistentWatchMode, path: string): boolean {
    if (!this.busy(path)) {
      this.lingering.delete(path);
      return true;
    }
    let modes = this.lingering.get(path);
    if (modes === undefined) {
      modes = new Set();
      this.lingering.set(path, modes);
    }
    modes.add(mode);
    return false;
  }

  /** The connection closed: the server dropped every registration, lingering ones included. */
  connectionLost(): void {
    this.lingering.clear();
  }

  private busy(path: string): boolean {
    return (
      Object.values(this.tables).some((t) => t.has(path)) ||
      this.adding.has(path) ||
      this.relying.has(path)
    );
  }

  private settle(path: string): void {
    if (!this.lingering.has(path) || this.busy(path)) return;
    this.lingering.delete(path);
    this.onIdle(path);
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
    return this.reRegistration().reduce((a, b) => ({
      data: [...a.data, ...b.data],
      exist: [...a.exist, ...b.exist],
      child: [...a.child, ...b.child],
      persistent: [...a.persistent, ...b.persistent],
      persistentRecursive: [...a.persistentRecursive, ...b.persistentRecursive],
    }));
  }

  /**
   * What to re-register after a reconnect, as lists to send in this order (each split into batches).
   * Every one-shot goes as a server one-shot, covered or not: the server checks it against the last zxid
   * and fires a change missed while away (it does not for persistent watches); the persistent lists,
   * which a 3.8 server applies after the one-shot ones, then turn a covered one back into the persistent
   * registration. Lingering registrations are re-sent too (reads queued while disconnected rely on them).
   * A 3.8 server also enters a recursive watch into its child table, where it would silence a one-shot
   * child watch of the path: those child paths go in a second, later list.
   */
  reRegistration(): WatchLists[] {
    const persistent = new Set(this.tables.persistent.keys());
    const recursive = new Set(this.tables.persistentRecursive.keys());
    for (const [path, modes] of this.lingering) {
      if (modes.has('persistent')) persistent.add(path);
      if (modes.has('persistentRecursive')) recursive.add(path);
    }
    const child = [...this.tables.child.keys()];
    const main: WatchLists = {
      data: [...this.tables.data.keys()],
      exist: [...this.tables.exist.keys()],
      child: child.filter((p) => !recursive.has(p)),
      persistent: [...persistent],
      persistentRecursive: [...recursive],
    };
    const late = child.filter((p) => recursive.has(p));
    if (late.length === 0) return [main];
    return [main, { data: [], exist: [], child: late, persistent: [], persistentRecursive: [] }];
  }

  /** Forgets every registration (the session ended). */
  clear(): void {
    for (const t of Object.values(this.tables)) t.clear();
    this.adding.clear();
    this.relying.clear();
    this.lingering.clear();
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

function parentOf(path: string): string | undefined {
  if (path === '/') return undefined;
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
