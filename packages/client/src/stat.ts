/**
 * A node's metadata, normalised across transports: zxids and session ids are lossless `bigint`s, times are
 * milliseconds since the epoch.
 *
 * @example
 * ```ts
 * const { stat } = await client.getData('/a');
 * const fencingToken: bigint = stat.czxid;
 * const mine = stat.ephemeralOwner === client.sessionId;
 * ```
 */
export interface Stat {
  /** zxid of the change that created the node. Unique and increasing across the ensemble. */
  readonly czxid: bigint;
  /** zxid of the last data change. */
  readonly mzxid: bigint;
  /** zxid of the last change to the node's children. */
  readonly pzxid: bigint;
  /** Creation time, ms since the epoch. */
  readonly ctime: number;
  /** Last modification time, ms since the epoch. */
  readonly mtime: number;
  /** Number of data changes. */
  readonly version: number;
  /** Number of changes to the children. */
  readonly cversion: number;
  /** Number of ACL changes. */
  readonly aversion: number;
  /** Session id of the owner if the node is ephemeral, else `0n`. */
  readonly ephemeralOwner: bigint;
  /** Length of the data, in bytes. */
  readonly dataLength: number;
  /** Number of children. */
  readonly numChildren: number;
}
