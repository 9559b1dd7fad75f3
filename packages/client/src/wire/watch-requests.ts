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

function watchKinds(type: WatcherType, path: string): WatchKind[] {
  if (type === 'data') return ['data', 'exist'];
  if (type === 'children') return ['child'];
  if (type === 'any') return ['data', 'exist', 'child', 'persistent', 'persistentRecursive'];
  throw new InvalidArgumentError('type', `must be 'children', 'data' or 'any'`, { path });
}

/**
 * `addWatch` (opcode 106): registers the listener once the server confirms, and returns an unsubscribe that
 * removes it locally and, when it was the path's last listener of that mode, on the server too.
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
  if (typeof listener !== 'function') {
    throw new InvalidArgumentError('listener', 'must be a function', { path });
  }
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
    const type =
      mode === 'persistent' ? WatcherTypeCode.persistent : WatcherTypeCode.persistentRecursive;
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
