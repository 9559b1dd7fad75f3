import { InvalidArgumentError } from '../errors.js';
import { validatePath } from '../paths.js';
import type { DataResult, WatchOptions } from '../zk-client.js';
import type { Chroot } from './chroot.js';
import { OpCode } from './op-codes.js';
import { readClientInfoVector, type ClientInfo } from './records/data-records.js';
import { readWithWatch } from './read-requests.js';
import { writePathRequest } from './records/request-records.js';
import { readGetDataResponse } from './records/response-records.js';
import { checkListener, checkOptions } from '../validate.js';
import { request } from './wire-request.js';
import type { WireSession } from './wire-session.js';

/**
 * The node holding the ensemble's dynamic configuration; it is never under a chroot (ZOOKEEPER-4565).
 *
 * @example
 * ```ts
 * await client.getData(CONFIG_NODE); // without a chroot, the same as getConfig()
 * ```
 */
export const CONFIG_NODE = '/zookeeper/config';

/**
 * `getConfig`: reads `/zookeeper/config`, optionally leaving a data watch on it.
 *
 * @example
 * ```ts
 * const { data } = await getConfigRequest(session, { watch: (e) => console.log(e.type) });
 * ```
 */
export async function getConfigRequest(
  session: WireSession,
  options: WatchOptions,
): Promise<DataResult> {
  checkOptions(options, CONFIG_NODE);
  const watch = options.watch;
  if (watch !== undefined) checkListener(watch, CONFIG_NODE);
  // Neither the request nor the watch key gets the chroot.
  return readWithWatch(session, OpCode.getData, CONFIG_NODE, CONFIG_NODE, watch, ['data'], (r) => ({
    value: readGetDataResponse(r),
    kind: 'data',
  }));
}

/**
 * `getEphemerals` (opcode 103, ZooKeeper 3.6+): this session's ephemeral nodes under a path prefix.
 *
 * @example
 * ```ts
 * const paths = await getEphemeralsRequest(session, chroot, '/locks');
 * ```
 */
export async function getEphemeralsRequest(
  session: WireSession,
  chroot: Chroot,
  prefixPath: string,
): Promise<string[]> {
  if (typeof prefixPath !== 'string' || !prefixPath.startsWith('/')) {
    throw new InvalidArgumentError('prefixPath', 'must start with /', {
      path: String(prefixPath),
    });
  }
  const server = chroot.toServer(prefixPath);
  return request(
    session,
    OpCode.getEphemerals,
    (w) => writePathRequest(w, server),
    prefixPath,
    (r) => r.readStringVector('ephemerals').map((p) => chroot.toClient(p)),
  );
}

/**
 * `whoAmI` (opcode 107, ZooKeeper 3.7+): the identities the server associates with this session.
 *
 * @example
 * ```ts
 * const ids = await whoAmIRequest(session); // [{ authScheme: 'ip', user: '127.0.0.1' }]
 * ```
 */
export function whoAmIRequest(session: WireSession): Promise<ClientInfo[]> {
  return request(session, OpCode.whoAmI, undefined, undefined, readClientInfoVector);
}

/**
 * `getAllChildrenNumber` (opcode 104, ZooKeeper 3.6+): the number of all descendants of a node.
 *
 * @example
 * ```ts
 * const n = await getAllChildrenNumberRequest(session, chroot, '/a');
 * ```
 */
export async function getAllChildrenNumberRequest(
  session: WireSession,
  chroot: Chroot,
  path: string,
): Promise<number> {
  validatePath(path);
  const server = chroot.toServer(path);
  return request(
    session,
    OpCode.getAllChildrenNumber,
    (w) => writePathRequest(w, server),
    path,
    (r) => r.readInt(),
  );
}
