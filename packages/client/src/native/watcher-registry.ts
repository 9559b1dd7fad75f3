/**
 * Watch dispatch for the native transport.
 *
 * The addon wraps every `aw_*` watcher function in a `Nan::Callback` that it never frees (about 0.5 KB native
 * memory each, plus whatever the function's closure holds, for the life of the process). So the function we
 * hand to the addon is a tiny trampoline whose closure holds nothing but an integer id; the real listener
 * lives in a module-level `Map` that we clean ourselves: when the watch fires, when the server answered that
 * no watch was set, and when the session ends (the addon then drops armed watchers without calling them).
 */
import type { WatchListener } from '../watch-event.js';
import { watchEventTypeFromInt } from '../watch-event.js';
import { NATIVE_SESSION_EVENT, type NativeWatcher } from './native-binding.js';
import { rethrowAsync } from './rethrow-async.js';

interface Entry {
  readonly listener: WatchListener;
  readonly owner: Set<number>;
}

const entries = new Map<number, Entry>();
let nextId = 1;

function dispatch(id: number, type: number, path: string): void {
  // Session pseudo-events (disconnect/reconnect) reach every armed watcher; the watch stays armed.
  if (type === NATIVE_SESSION_EVENT) return;
  const entry = entries.get(id);
  if (entry === undefined) return;
  entries.delete(id);
  entry.owner.delete(id);
  const eventType = watchEventTypeFromInt[type];
  if (eventType === undefined) return;
  try {
    entry.listener({ type: eventType, path });
  } catch (err) {
    rethrowAsync(err);
  }
}

// A separate function so the closure's context holds only `id` (not a registry, client or listener).
function makeTrampoline(id: number): NativeWatcher {
  return (type, _state, path) => {
    dispatch(id, type, path);
  };
}

/**
 * The one-shot watches armed by one native client. Each {@link WatcherRegistry.arm} yields a trampoline to
 * pass to an `aw_*` call and an id to {@link WatcherRegistry.disarm} if the server set no watch.
 *
 * @example
 * ```ts
 * const { id, watcher } = registry.arm((e) => console.log(e.type, e.path));
 * const rc = handle.aw_get(path, watcher, (rc) => { if (rc !== 0) registry.disarm(id); });
 * if (rc < 0) registry.disarm(id);
 * ```
 */
export class WatcherRegistry {
  readonly #ids = new Set<number>();

  /** Number of live watch entries of all native clients in this process (for leak tests). */
  static get globalSize(): number {
    return entries.size;
  }

  /** Number of armed watches of this client. */
  get size(): number {
    return this.#ids.size;
  }

  /** Registers a listener; returns the trampoline for the addon. */
  arm(listener: WatchListener): { readonly id: number; readonly watcher: NativeWatcher } {
    const id = nextId++;
    entries.set(id, { listener, owner: this.#ids });
    this.#ids.add(id);
    return { id, watcher: makeTrampoline(id) };
  }

  /** Forgets a registration for which the server set no watch. */
  disarm(id: number): void {
    entries.delete(id);
    this.#ids.delete(id);
  }

  /** Forgets every watch of this client (the session ended; the addon drops them silently). */
  clear(): void {
    for (const id of this.#ids) entries.delete(id);
    this.#ids.clear();
  }
}
