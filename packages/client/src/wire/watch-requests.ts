import { ConnectionLossError, InvalidArgumentError, NoWatcherError } from '../errors.js';
import { validatePath } from '../paths.js';
import { checkListener } from '../validate.js';
import type { WatchListener } from '../watch-event.js';
import type { PersistentWatchMode, Unsubscribe, WatcherType } from '../zk-client.js';
import type { Chroot } from './chroot.js';
import { OpCode, WatcherTypeCode } from './op-codes.js';
import { writePathIntRequest } from './records/request-records.js';
import { writeSetWatches } from './records/session-records.js';
import type { OneShotKind, WatchKind } from './watch-manager.js';
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
 * `addWatch` (opcode 106): registers the listener once the server confirms, and returns an unsubscribe that
 * removes it locally and, when it was the path's last listener of that mode, on the server too, with
 * watcher type `any` (every 3.6+ server knows it; 3.8 answers MarshallingError to the persistent types
 * 4/5).
 *
 * ZooKeeper 3.6–3.8 keep one registration per session, path and table, so a one-shot read watch set on
 * the path afterwards would silently turn this watch into a one-shot (ZOOKEEPER-4466, fixed in 3.9). The
 * client handles it: such reads set no server watch and their one-shot fires from this watch's
 * notifications, and when this watch is unsubscribed while one-shot watches of the path rely on it, the
 * server's registration is kept until they are gone (see `WatchManager`). A persistent and a
 * persistent-recursive watch on one path cannot coexist on those servers: the second is refused with
 * `InvalidArgumentError` (field `mode`).
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
  refuseModeClash(session, server, path, mode);
  const kind: WatchKind = mode;
  const body = (w: Parameters<typeof writePathIntRequest>[0]) =>
    writePathIntRequest(w, server, mode === 'persistent' ? 0 : 1);
  // Reads sent from now on rely on this registration, before the reply confirms it.
  const settled = session.watches.beginAdd(mode, server);
  try {
    await request(session, OpCode.addWatch, body, path, () => {
      session.watches.add(kind, server, listener);
      if (mode === 'persistentRecursive' && session.watches.has(server, ['child'])) {
        rearmChildWatch(session, server);
      }
    });
  } finally {
    settled();
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (!session.watches.removeListener(kind, server, listener)) return;
    if (session.watches.release(mode, server)) removeIdleWatch(session, server);
  };
}

/**
 * ZooKeeper 3.6–3.8 hold one mode per session, path and table (ZOOKEEPER-4466), so a persistent and a
 * persistent-recursive watch of one session on one path cannot both work: recursive after persistent
 * loses `childrenChanged`, persistent after recursive loses the descendants' events. Refused before
 * sending rather than lost silently. A lingering persistent registration counts against a recursive one
 * (one-shot child watches rely on it); a lingering recursive one does not (a persistent watch serves its
 * one-shots too).
 */
function refuseModeClash(
  session: WireSession,
  serverPath: string,
  path: string,
  mode: PersistentWatchMode,
): void {
  const other: PersistentWatchMode = mode === 'persistent' ? 'persistentRecursive' : 'persistent';
  if (session.watches.holds(other, serverPath, mode === 'persistentRecursive')) {
    throw new InvalidArgumentError(
      'mode',
      `this session already holds a '${other}' watch on the path; ZooKeeper before 3.9 keeps one ` +
        `mode per session and path (ZOOKEEPER-4466), so a '${mode}' watch would silently break it: ` +
        `use one recursive watch and filter its events, or a second client`,
      { path },
    );
  }
}

/**
 * Removes every registration of this session on a server path with watcher type `any`, when connected
 * (a new connection re-registers only what the client lists). Best effort: if this fails, the server
 * notifies a path nobody listens to until the connection ends.
 *
 * @example
 * ```ts
 * const watches = new WatchManager((path) => removeIdleWatch(session, path));
 * ```
 */
export function removeIdleWatch(session: WireSession, serverPath: string): void {
  if (session.state !== 'connected') return;
  session
    .submit(
      OpCode.removeWatches,
      (w) => writePathIntRequest(w, serverPath, WatcherTypeCode.any),
      () => undefined,
    )
    .catch(() => undefined);
}

/**
 * ZooKeeper 3.8 enters a recursive watch into its child table too, where it delivers nothing but
 * replaces the registration of a one-shot child watch set before: re-arm that one with `SetWatches`
 * (opcode 101). Sent from the `addWatch` reply, relative to its zxid: the one-shot had fired for every
 * change up to then (its notifications came before the reply), and the server fires it at once for a
 * change that fell between the two requests.
 */
function rearmChildWatch(session: WireSession, serverPath: string): void {
  const lists = {
    data: [],
    exist: [],
    child: [serverPath],
    persistent: [],
    persistentRecursive: [],
  };
  session
    .submit(
      OpCode.setWatches,
      (w) => writeSetWatches(w, session.lastZxid, lists, false),
      () => undefined,
    )
    .catch(() => undefined);
}

/** The one-shot kinds a `removeWatches`/`checkWatches` type names. */
function oneShotKinds(type: WatcherType): readonly OneShotKind[] {
  return type === 'data' ? ['data', 'exist'] : type === 'children' ? ['child'] : [];
}

/**
 * ZooKeeper 3.6–3.8 keep one registration per session, path and table, and a persistent watch lives in
 * the same tables as the one-shot ones (persistent: data and child table; recursive: data table, plus a
 * child-table copy on 3.8 that delivers nothing). So the server's `removeWatches` of `data` also drops a
 * persistent or recursive watch on that path, and of `children` a persistent one, while the client would
 * keep them: refuse instead of diverging.
 */
function checkNoCollateralRemoval(
  session: WireSession,
  server: string,
  path: string,
  type: WatcherType,
): void {
  if (!oneShotKinds(type).some((k) => session.watches.wanted(k, server))) return;
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
  // One-shots served by a lingering persistent registration have no server watch of their own: they are
  // removed locally, and the registration goes once nothing of the path needs it.
  const lingering = oneShotKinds(type).some((k) => session.watches.covered(k, server));
  if (!lingering && (!local || session.state === 'connected')) {
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
  // A covered one-shot has no server watch of its own, only the persistent registration serving it,
  // which a check of type `any` finds.
  const covered = oneShotKinds(type).some((k) => session.watches.covered(k, server));
  const body = (w: Parameters<typeof writePathIntRequest>[0]) =>
    writePathIntRequest(w, server, WatcherTypeCode[covered ? 'any' : type]);
  await request(session, OpCode.checkWatches, body, path, () => undefined);
}
