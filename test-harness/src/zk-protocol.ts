import { JuteReader } from './jute-reader.js';
import { JuteWriter } from './jute-writer.js';

/**
 * ZooKeeper request op codes used by the harness.
 *
 * @example
 * ```ts
 * socket.write(encodeRequest(1, OpCode.getChildren, body));
 * ```
 */
export const OpCode = {
  create: 1,
  delete: 2,
  exists: 3,
  getData: 4,
  getChildren: 8,
  ping: 11,
  createContainer: 19,
  createTtl: 21,
  closeSession: -11,
} as const;

/**
 * Reply xids with a special meaning.
 *
 * @example
 * ```ts
 * if (header.xid === SpecialXid.notification) handleWatch(reader);
 * ```
 */
export const SpecialXid = { notification: -1, ping: -2, auth: -4, setWatches: -8 } as const;

/**
 * Fields of a ZooKeeper `ConnectRequest`.
 *
 * @example
 * ```ts
 * encodeConnectRequest({ timeoutMs: 6_000, sessionId, password } satisfies ConnectRequestFields);
 * ```
 */
export interface ConnectRequestFields {
  readonly timeoutMs: number;
  readonly sessionId?: bigint;
  readonly password?: Buffer;
  readonly lastZxidSeen?: bigint;
}

/**
 * Fields of a ZooKeeper `ConnectResponse`. A session the server refuses has `timeoutMs <= 0`.
 *
 * @example
 * ```ts
 * const { sessionId, timeoutMs }: ConnectResponseFields = decodeConnectResponse(body);
 * ```
 */
export interface ConnectResponseFields {
  readonly protocolVersion: number;
  readonly timeoutMs: number;
  readonly sessionId: bigint;
  readonly password: Buffer;
}

/**
 * The handshake frame: protocol version 0, last zxid seen, requested timeout, session id (0 for a new
 * session) and its 16-byte password, then `readOnly = false`.
 *
 * @example
 * ```ts
 * socket.write(encodeConnectRequest({ timeoutMs: 10_000 }));
 * ```
 */
export function encodeConnectRequest(fields: ConnectRequestFields): Buffer {
  return new JuteWriter()
    .int(0)
    .long(fields.lastZxidSeen ?? 0n)
    .int(fields.timeoutMs)
    .long(fields.sessionId ?? 0n)
    .buffer(fields.password ?? Buffer.alloc(16))
    .bool(false)
    .frame();
}

/**
 * Reads a `ConnectResponse` body (length prefix removed).
 *
 * @example
 * ```ts
 * const { sessionId, timeoutMs } = decodeConnectResponse(body);
 * ```
 */
export function decodeConnectResponse(body: Buffer): ConnectResponseFields {
  const reader = new JuteReader(body);
  const protocolVersion = reader.int();
  const timeoutMs = reader.int();
  const sessionId = reader.long();
  const password = Buffer.from(reader.buffer() ?? Buffer.alloc(0));
  return { protocolVersion, timeoutMs, sessionId, password };
}

/**
 * A request frame: header `{ xid, type }` then the body.
 *
 * @example
 * ```ts
 * socket.write(encodeRequest(1, OpCode.closeSession));
 * ```
 */
export function encodeRequest(xid: number, opCode: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const header = new JuteWriter().int(xid).int(opCode).bytes();
  const length = Buffer.alloc(4);
  length.writeInt32BE(header.length + body.length);
  return Buffer.concat([length, header, body]);
}

/**
 * A reply header: `xid`, the zxid it was applied at, and an error code (0 = OK).
 *
 * @example
 * ```ts
 * const header: ReplyHeader = decodeReply(body).header;
 * ```
 */
export interface ReplyHeader {
  readonly xid: number;
  readonly zxid: bigint;
  readonly err: number;
}

/**
 * Reads the reply header at the start of a reply body; the reader is left at the reply's own fields.
 *
 * @example
 * ```ts
 * const { header, reader } = decodeReply(body);
 * ```
 */
export function decodeReply(body: Buffer): { header: ReplyHeader; reader: JuteReader } {
  const reader = new JuteReader(body);
  return { header: { xid: reader.int(), zxid: reader.long(), err: reader.int() }, reader };
}
