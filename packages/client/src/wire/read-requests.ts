import { errorFromCode } from '../errors.js';
import { validatePath } from '../paths.js';
import type { Stat } from '../stat.js';
import type { ChildrenResult, DataResult, WatchOptions } from '../zk-client.js';
import type { Chroot } from './chroot.js';
import type { JuteReader } from './jute-reader.js';
import { OpCode } from './op-codes.js';
import { readStat } from './records/data-records.js';
import { writePathWatchRequest } from './records/request-records.js';
import { readGetChildren2Response, readGetDataResponse } from './records/response-records.js';
import type { WatchKind } from './watch-manager.js';
import { checkListener } from './watch-requests.js';
import { request } from './wire-request.js';
import type { WireSession } from './wire-session.js';

const NO_NODE = -101;

/**
 * One read that may leave a one-shot watch: the watch is registered locally only once the server has
 * answered (as the Java client does), under `kind`, keyed by the server path.
 */
function watchedRead<T>(
  session: WireSession,
  chroot: Chroot,
  opCode: number,
  path: string,
  options: WatchOptions,
  decode: (r: JuteReader) => { value: T; kind: WatchKind },
  onError?: (err: number) => { value: T; kind: WatchKind },
): Promise<T> {
  validatePath(path);
  const watch = options.watch;
  if (watch !== undefined) checkListener(watch, path);
  const server = chroot.toServer(path);
  const arm = ({ value, kind }: { value: T; kind: WatchKind }): T => {
    if (watch !== undefined) session.watches.add(kind, server, watch);
    return value;
  };
  return request(
    session,
    opCode,
    (w) => writePathWatchRequest(w, server, watch !== undefined),
    path,
    (r) => arm(decode(r)),
    onError === undefined ? undefined : (err) => arm(onError(err)),
  );
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
  return watchedRead(session, chroot, OpCode.getData, path, options, (r) => ({
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
  return watchedRead(session, chroot, OpCode.getChildren2, path, options, (r) => ({
    value: readGetChildren2Response(r),
    kind: 'child',
  }));
}
