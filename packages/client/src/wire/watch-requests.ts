import { ConnectionLossError, InvalidArgumentError, NoWatcherError } from '../errors.js';
import { validatePath } from '../paths.js';
import type { WatchListener } from '../watch-event.js';
import type { PersistentWatchMode, Unsubscribe, WatcherType } from '../zk-client.js';
import type { Chroot } from './chroot.js';
import { OpCode, WatcherTypeCode } from './op-codes.js';
import { writePathIntRequest } from './records/request-records.js';
import type { WatchKind } from './watch-manager.js';
import { request } from './wire-request.js';
import type { WireSession } from './wire-session.js';

const ALL_KINDS: readonly WatchKind[] = [
  'data',
  'exist',
  'child',
  'persistent',
  'persistentRecursive',
];

function watchKinds(type: WatcherType, path: string): readonly WatchKind[] {
  if (type === 'data') return ['data', 'exist'];
  if (type === 'children') return ['child'];
  if (type === 'any') return ALL_KINDS;
  throw new InvalidArgumentError('type', `must be 'children', 'data' or 'any'`, { path });
}

/**
 * Throws `InvalidArgumentError` naming `field` and `path` unless `listener` is a function.
 *
 * @example
 * ```ts
 * checkListener(options.watch, '/a'); // narrows options.watch to WatchListener
 * ```
 */
export function checkListener(
  listener: unknown,
  path: string,
  field = 'watch',
): asserts listener is WatchListener {
  if (typeof listener !== 'function')
    throw new InvalidArgumentError(field, 'must be a function', { path });
}

/**
 * `addWatch` (opcode 106): registers the listener once the server confirms, and returns an unsubscribe that
 * removes it locally and, when it was the path's last listener of that mode, on the server too: with
 * watcher type `any` when the path holds no other watch of this session (understood by every 3.6+
 * server), else with type 4/5, which only 3.9+ servers know (3.8 keeps that watch; no listener hears it).
 *
 * @example
 * ```ts
 * const stop = await addPersistentWatch(session, chroot, '/a', 'persistentRecursive', listener);
 * ```
 */
export async function addPersistentWatch(
  session: WireSession,
  chroot: Chroot,
  path: string,
  mode: PersistentWatchMode,
  listener: WatchListener,
): Promise<Unsubscribe> {
  validatePath(path);
  if (mode !== 'persistent' && mode !== 'persistentRecursive') {
    throw new InvalidArgumentError('mode', `must be 'persistent' or 'persistentRecursive'`, {
      path,
    });
  }
  checkListener(listener, path, 'listener');
  const server = chroot.toServer(path);
  const kind: WatchKind = mode;
  const body = (w: Parameters<typeof writePathIntRequest>[0]) =>
    writePathIntRequest(w, server, mode === 'persistent' ? 0 : 1);
  await request(session, OpCode.addWatch, body, path, () =>
    session.watches.add(kind, server, listener),
  );
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const last = session.watches.removeListener(kind, server, listener);
    if (!last || session.state !== 'connected') return;
    // Servers before 3.9 know no watcher types 4/5 (they answer MarshallingError and keep the watch), but
    // every 3.6+ server removes persistent watches with `any`; it is exact when the path holds nothing
    // else of this session.
    const type = !session.watches.has(server, ALL_KINDS)
      ? WatcherTypeCode.any
      : mode === 'persistent'
        ? WatcherTypeCode.persistent
        : WatcherTypeCode.persistentRecursive;
    // Best effort: if this fails, the server keeps a watch nobody listens to until the session ends; it is
    // not re-registered after a reconnect.
    session
      .submit(
        OpCode.removeWatches,
        (w) => writePathIntRequest(w, server, type),
        () => undefined,
      )
      .catch(() => undefined);
  };
}

/**
 * ZooKeeper 3.6–3.8 keep one registration per session, path and table, and a persistent watch lives in
 * the same tables as the one-shot ones (persistent: data and child table; recursive: data table). So the
 * server's `removeWatches` of `data` also drops a persistent or recursive watch on that path, and of
 * `children` a persistent one, while the client would keep them: refuse instead of diverging.
 */
function checkNoCollateralRemoval(
  session: WireSession,
  server: string,
  path: string,
  type: WatcherType,
): void {
  const hit: readonly WatchKind[] =
    type === 'data'
      ? ['persistent', 'persistentRecursive']
      : type === 'children'
        ? ['persistent']
        : [];
  if (!session.watches.has(server, hit)) return;
  throw new InvalidArgumentError(
    'type',
    `'${type}' cannot remove only the one-shot watches of a path that also holds a persistent watch ` +
      `(the server would drop the persistent one too); use 'any' or the addWatch unsubscribe`,
    { path },
  );
}

/**
 * `removeWatches` (opcode 18) with Java's rules: `NoWatcherError` without asking the server when no local
 * watch matches; with `local`, the watches are removed locally even without a server connection. Removed
 * listeners get a "watch removed" event.
 *
 * @example
 * ```ts
 * await removeWatchesRequest(session, chroot, '/a', 'data', false);
 * ```
 */
export async function removeWatchesRequest(
  session: WireSession,
  chroot: Chroot,
  path: string,
  type: WatcherType,
  local: boolean,
): Promise<void> {
  validatePath(path);
  const server = chroot.toServer(path);
  if (!session.watches.has(server, watchKinds(type, path))) throw new NoWatcherError({ path });
  checkNoCollateralRemoval(session, server, path, type);
  if (!local || session.state === 'connected') {
    try {
      const body = (w: Parameters<typeof writePathIntRequest>[0]) =>
        writePathIntRequest(w, server, WatcherTypeCode[type]);
      await request(session, OpCode.removeWatches, body, path, () => undefined);
    } catch (e) {
      if (!(local && e instanceof ConnectionLossError)) throw e;
    }
  }
  for (const { listener, event } of session.watches.remove(server, type, path)) {
    try {
      listener(event);
    } catch (e) {
      session.reportListenerError(e);
    }
  }
}

/**
 * `checkWatches` (opcode 17): whether the server holds a watch of this type (`NoWatcherError` if not, or
 * if none is registered locally).
 *
 * @example
 * ```ts
 * await checkWatchesRequest(session, chroot, '/a', 'children');
 * ```
 */
export async function checkWatchesRequest(
  session: WireSession,
  chroot: Chroot,
  path: string,
  type: WatcherType,
): Promise<void> {
  validatePath(path);
  const server = chroot.toServer(path);
  if (!session.watches.has(server, watchKinds(type, path))) throw new NoWatcherError({ path });
  const body = (w: Parameters<typeof writePathIntRequest>[0]) =>
    writePathIntRequest(w, server, WatcherTypeCode[type]);
  await request(session, OpCode.checkWatches, body, path, () => undefined);
}
