import type { JuteReader } from '../jute-reader.js';
import type { JuteWriter } from '../jute-writer.js';

/** `ConnectRequest` plus the trailing `readOnly` flag that `ClientCnxn` writes after the record. */
export interface ConnectRequest {
  readonly protocolVersion: number;
  readonly lastZxidSeen: bigint;
  readonly timeOutMs: number;
  readonly sessionId: bigint;
  readonly passwd: Uint8Array;
  readonly readOnly: boolean;
}

/**
 * Encodes a `ConnectRequest` (no request header: it is the first packet of a connection).
 *
 * @example
 * ```ts
 * writeConnectRequest(w, { protocolVersion: 0, lastZxidSeen: 0n, timeOutMs: 10_000, sessionId: 0n,
 *   passwd: Buffer.alloc(16), readOnly: false });
 * ```
 */
export function writeConnectRequest(w: JuteWriter, c: ConnectRequest): void {
  w.writeInt(c.protocolVersion);
  w.writeLong(c.lastZxidSeen);
  w.writeInt(c.timeOutMs);
  w.writeLong(c.sessionId);
  w.writeBuffer(c.passwd);
  w.writeBool(c.readOnly);
}

/** `ConnectResponse` plus its trailing `readOnly` flag. */
export interface ConnectResponse {
  readonly protocolVersion: number;
  readonly timeOutMs: number;
  readonly sessionId: bigint;
  readonly passwd: Buffer;
  readonly readOnly: boolean;
}

/**
 * Decodes a `ConnectResponse`. Servers older than 3.4 omit the `readOnly` byte, so it defaults to false.
 *
 * @example
 * ```ts
 * const res = readConnectResponse(new JuteReader(frame));
 * ```
 */
export function readConnectResponse(r: JuteReader): ConnectResponse {
  const protocolVersion = r.readInt();
  const timeOutMs = r.readInt();
  const sessionId = r.readLong();
  const passwd = r.readBuffer() ?? Buffer.alloc(0);
  const readOnly = r.remaining > 0 ? r.readBool() : false;
  return { protocolVersion, timeOutMs, sessionId, passwd, readOnly };
}

/** The header of every server reply except the connect response. */
export interface ReplyHeader {
  readonly xid: number;
  readonly zxid: bigint;
  readonly err: number;
}

/**
 * Decodes a `ReplyHeader{int xid; long zxid; int err}`.
 *
 * @example
 * ```ts
 * const { xid, zxid, err } = readReplyHeader(reader);
 * ```
 */
export function readReplyHeader(r: JuteReader): ReplyHeader {
  const xid = r.readInt();
  const zxid = r.readLong();
  const err = r.readInt();
  return { xid, zxid, err };
}

/**
 * Encodes a `RequestHeader{int xid; int type}`.
 *
 * @example
 * ```ts
 * writeRequestHeader(w, 1, OpCode.getData);
 * ```
 */
export function writeRequestHeader(w: JuteWriter, xid: number, type: number): void {
  w.writeInt(xid);
  w.writeInt(type);
}

/** A `WatcherEvent{int type; int state; ustring path}` notification body. */
export interface WatcherEvent {
  readonly type: number;
  readonly state: number;
  readonly path: string;
}

/**
 * Decodes a `WatcherEvent`.
 *
 * @example
 * ```ts
 * const ev = readWatcherEvent(reader);
 * ```
 */
export function readWatcherEvent(r: JuteReader): WatcherEvent {
  const type = r.readInt();
  const state = r.readInt();
  const path = r.readString() ?? '';
  return { type, state, path };
}

/**
 * Encodes an `AuthPacket{int type; ustring scheme; buffer auth}` (type is always 0).
 *
 * @example
 * ```ts
 * writeAuthPacket(w, 'digest', Buffer.from('alice:secret'));
 * ```
 */
export function writeAuthPacket(w: JuteWriter, scheme: string, auth: Uint8Array): void {
  w.writeInt(0);
  w.writeString(scheme);
  w.writeBuffer(auth);
}

/** The five watch lists of `SetWatches2` (`SetWatches` has only the first three). */
export interface WatchLists {
  readonly data: readonly string[];
  readonly exist: readonly string[];
  readonly child: readonly string[];
  readonly persistent: readonly string[];
  readonly persistentRecursive: readonly string[];
}

/**
 * Encodes `SetWatches` (3 lists) or, when `v2`, `SetWatches2` (5 lists).
 *
 * @example
 * ```ts
 * writeSetWatches(w, lastZxid, lists, true);
 * ```
 */
export function writeSetWatches(
  w: JuteWriter,
  relativeZxid: bigint,
  lists: WatchLists,
  v2: boolean,
): void {
  w.writeLong(relativeZxid);
  w.writeStringVector(lists.data);
  w.writeStringVector(lists.exist);
  w.writeStringVector(lists.child);
  if (v2) {
    w.writeStringVector(lists.persistent);
    w.writeStringVector(lists.persistentRecursive);
  }
}
