import { errorFromCode } from '../errors.js';
import { validatePath } from '../paths.js';
import type { Stat } from '../stat.js';
import type { WatchListener } from '../watch-event.js';
import type { ChildrenResult, DataResult, WatchOptions } from '../zk-client.js';
import type { Chroot } from './chroot.js';
import type { JuteReader } from './jute-reader.js';
import { OpCode } from './op-codes.js';
import { readStat } from './records/data-records.js';
import { writePathWatchRequest } from './records/request-records.js';
import { readGetChildren2Response, readGetDataResponse } from './records/response-records.js';
import type { OneShotKind, WatchKind } from './watch-manager.js';
import { checkListener, checkOptions } from '../validate.js';
import { request } from './wire-request.js';
import type { WireSession } from './wire-session.js';

const NO_NODE = -101;

/**
 * One read that may leave a one-shot watch: the watch is registered locally only once the server has
 * answered (as the Java client does), under `kind`, keyed by the server path. A read whose one-shot is
 * covered by a persistent watch of the same path and server table sets no server watch (ZOOKEEPER-4466,
 * see `WatchManager`); `kinds` are the one-shot kinds the reply may register.
 */
function watchedRead<T>(
  session: WireSession,
  chroot: Chroot,
  opCode: number,
  path: string,
  options: WatchOptions,
  kinds: readonly OneShotKind[],
  decode: (r: JuteReader) => { value: T; kind: WatchKind },
  onError?: (err: number) => { value: T; kind: WatchKind },
): Promise<T> {
  validatePath(path);
  checkOptions(options, path);
  const watch = options.watch;
  if (watch !== undefined) checkListener(watch, path);
  return readWithWatch(session, opCode, chroot.toServer(path), path, watch, kinds, decode, onError);
}

/**
 * The part of a watched read shared with `getConfig`: `server` is the path as sent, `path` the one errors
 * name.
 *
 * @example
 * ```ts
 * const res = await readWithWatch(session, OpCode.getData, '/zookeeper/config', '/zookeeper/config',
 *   listener, ['data'], (r) => ({ value: readGetDataResponse(r), kind: 'data' }));
 * ```
 */
export function readWithWatch<T>(
  session: WireSession,
  opCode: number,
  server: string,
  path: string,
  watch: WatchListener | undefined,
  kinds: readonly OneShotKind[],
  decode: (r: JuteReader) => { value: T; kind: WatchKind },
  onError?: (err: number) => { value: T; kind: WatchKind },
): Promise<T> {
  const arm = ({ value, kind }: { value: T; kind: WatchKind }): T => {
    if (watch !== undefined) session.watches.add(kind, server, watch);
    return value;
  };
  // The decision and the send happen in the same tick, so no addWatch or unsubscribe falls between.
  const covered = watch !== undefined && kinds.some((k) => session.watches.covered(k, server));
  const settled = covered ? session.watches.beginRelying(server) : undefined;
  const reply = request(
    session,
    opCode,
    (w) => writePathWatchRequest(w, server, watch !== undefined && !covered),
    path,
    (r) => arm(decode(r)),
    onError === undefined ? undefined : (err) => arm(onError(err)),
  );
  return settled === undefined ? reply : reply.finally(settled);
}

/**
 * `getData` (opcode 4), optionally leaving a data watch.
 *
 * @example
 * ```ts
 * const { data, stat } = await getDataRequest(session, chroot, '/a', { watch: (e) => console.log(e) });
 * ```
 */
export async function getDataRequest(
  session: WireSession,
  chroot: Chroot,
  path: string,
  options: WatchOptions,
): Promise<DataResult> {
  return watchedRead(session, chroot, OpCode.getData, path, options, ['data'], (r) => ({
    value: readGetDataResponse(r),
    kind: 'data',
  }));
}

/**
 * `exists` (opcode 3): the stat or `null`; the watch is a data watch on an existing node and an exist
 * watch on a missing one.
 *
 * @example
 * ```ts
 * const stat = await existsRequest(session, chroot, '/a', {});
 * ```
 */
export async function existsRequest(
  session: WireSession,
  chroot: Chroot,
  path: string,
  options: WatchOptions,
): Promise<Stat | null> {
  return watchedRead<Stat | null>(
    session,
    chroot,
    OpCode.exists,
    path,
    options,
    ['data', 'exist'],
    (r) => ({ value: readStat(r), kind: 'data' }),
    (err) => {
      if (err !== NO_NODE) throw errorFromCode(err, { path });
      return { value: null, kind: 'exist' };
    },
  );
}

/**
 * `getChildren2` (opcode 12): children and stat, optionally leaving a child watch.
 *
 * @example
 * ```ts
 * const { children } = await getChildrenRequest(session, chroot, '/a', {});
 * ```
 */
export async function getChildrenRequest(
  session: WireSession,
  chroot: Chroot,
  path: string,
  options: WatchOptions,
): Promise<ChildrenResult> {
  return watchedRead(session, chroot, OpCode.getChildren2, path, options, ['child'], (r) => ({
    value: readGetChildren2Response(r),
    kind: 'child',
  }));
}
