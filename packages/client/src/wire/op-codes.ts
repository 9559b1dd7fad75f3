/**
 * ZooKeeper request opcodes (`ZooDefs.OpCode`).
 *
 * @example
 * ```ts
 * header.writeInt(OpCode.getData);
 * ```
 */
export const OpCode = {
  notification: 0,
  create: 1,
  delete: 2,
  exists: 3,
  getData: 4,
  setData: 5,
  getACL: 6,
  setACL: 7,
  getChildren: 8,
  sync: 9,
  ping: 11,
  getChildren2: 12,
  check: 13,
  multi: 14,
  create2: 15,
  reconfig: 16,
  checkWatches: 17,
  removeWatches: 18,
  createContainer: 19,
  deleteContainer: 20,
  createTTL: 21,
  multiRead: 22,
  auth: 100,
  setWatches: 101,
  sasl: 102,
  getEphemerals: 103,
  getAllChildrenNumber: 104,
  setWatches2: 105,
  addWatch: 106,
  whoAmI: 107,
  createSession: -10,
  closeSession: -11,
  error: -1,
} as const;

/**
 * Reserved xids (`ClientCnxn`): replies carrying them are not matched against the pending queue.
 *
 * @example
 * ```ts
 * if (reply.xid === Xid.notification) handleWatchEvent(reply);
 * ```
 */
export const Xid = {
  notification: -1,
  ping: -2,
  auth: -4,
  setWatches: -8,
} as const;

/**
 * Numeric watcher types of `removeWatches`/`checkWatches` (`Watcher.WatcherType`).
 *
 * @example
 * ```ts
 * w.writeInt(WatcherTypeCode.any);
 * ```
 */
export const WatcherTypeCode = {
  children: 1,
  data: 2,
  any: 3,
  persistent: 4,
  persistentRecursive: 5,
} as const;

/**
 * Numeric keeper states of a watcher event (`Watcher.Event.KeeperState`).
 *
 * @example
 * ```ts
 * if (event.state === KeeperState.syncConnected) { ... }
 * ```
 */
export const KeeperState = {
  disconnected: 0,
  syncConnected: 3,
  authFailed: 4,
  connectedReadOnly: 5,
  saslAuthenticated: 6,
  expired: -112,
  closed: 7,
} as const;

/** Server's `jute.maxbuffer` default: the largest packet it accepts, header included. */
export const MAX_PACKET_BYTES = 0xfffff;
