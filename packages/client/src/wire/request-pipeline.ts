import {
  ConnectionLossError,
  InvalidArgumentError,
  type ZkError,
  type ZkErrorOptions,
} from '../errors.js';
import { FifoQueue } from './fifo-queue.js';
import { JuteDecodeError } from './jute-decode-error.js';
import type { JuteReader } from './jute-reader.js';
import { JuteWriter } from './jute-writer.js';
import { MAX_PACKET_BYTES } from './op-codes.js';
import type { WireConnection } from './wire-connection.js';
import { XidGenerator } from './xid-generator.js';

/** Decodes a reply body (called only when the header's err is 0) or maps a non-zero err to an error. */
export type ReplyHandler<T> = (err: number, reader: JuteReader) => T;

/** Makes the error for one failed request, naming its path. */
export type ErrorFactory = (options: ZkErrorOptions) => ZkError;

/** One request: its frame (the xid is patched in when it is sent), the path its errors name, its callbacks. */
export interface PendingRequest {
  readonly frame: Buffer;
  readonly path: string | undefined;
  xid: number;
  readonly onReply: (err: number, reader: JuteReader) => void;
  readonly fail: (error: ZkError) => void;
}

/**
 * Frames a request header (xid placeholder, opcode) and body; `InvalidArgumentError` when the frame is
 * over the server's packet limit, which would make the server drop the connection.
 *
 * @example
 * ```ts
 * const frame = encodeRequest(OpCode.closeSession, undefined);
 * ```
 */
export function encodeRequest(opCode: number, body: ((w: JuteWriter) => void) | undefined): Buffer {
  const w = new JuteWriter(true);
  w.writeInt(0); // xid, patched in when the request is sent
  w.writeInt(opCode);
  body?.(w);
  if (w.length > MAX_PACKET_BYTES) {
    throw new InvalidArgumentError(
      'request',
      `encodes to ${w.length} bytes, over the server's 1 MiB limit`,
    );
  }
  return w.finishFrame();
}

/**
 * The request plumbing of a wire session: requests wait in a queue while there is no usable connection,
 * get an xid when sent, and replies are matched in FIFO order against the requests in flight (the server
 * answers a session's requests in order, so a mismatch means a broken stream).
 *
 * @example
 * ```ts
 * const requests = new RequestPipeline(xidSeed);
 * requests.dispatch({ frame, path: '/a', xid: 0, onReply, fail }, conn);
 * const req = requests.take(replyXid);
 * ```
 */
export class RequestPipeline {
  private readonly pending = new FifoQueue<PendingRequest>();
  private queued: PendingRequest[] = [];
  private readonly xids: XidGenerator;

  constructor(xidSeed: number) {
    this.xids = new XidGenerator(xidSeed);
  }

  /** Sends the request on `conn`, or queues it for {@link RequestPipeline.flush} when `conn` is undefined. */
  dispatch(req: PendingRequest, conn: WireConnection | undefined): void {
    if (conn === undefined) {
      this.queued.push(req);
      return;
    }
    req.xid = this.xids.next();
    req.frame.writeInt32BE(req.xid, 4);
    this.pending.push(req);
    conn.send(req.frame);
  }

  /** Sends every queued request on `conn`, in order. */
  flush(conn: WireConnection): void {
    const queued = this.queued;
    this.queued = [];
    for (const req of queued) this.dispatch(req, conn);
  }

  /**
   * The oldest request in flight, which the reply with `xid` must answer; a mismatch fails that request
   * with a connection loss and throws `JuteDecodeError` (the connection must be dropped).
   */
  take(xid: number): PendingRequest {
    const req = this.pending.shift();
    if (req === undefined || req.xid !== xid) {
      if (req !== undefined) req.fail(new ConnectionLossError({ path: req.path }));
      throw new JuteDecodeError(
        `reply xid ${xid} does not match the oldest request (${req?.xid ?? 'none'})`,
        0,
      );
    }
    return req;
  }

  /**
   * Hands a reply to its request. A body that does not decode fails the request with a connection loss
   * and is rethrown (the stream is broken); any other error from the handler fails just the request.
   */
  static deliver(req: PendingRequest, err: number, r: JuteReader): void {
    try {
      req.onReply(err, r);
    } catch (e) {
      if (e instanceof JuteDecodeError) {
        req.fail(new ConnectionLossError({ cause: e, path: req.path }));
        throw e;
      }
      req.fail(e as ZkError);
    }
  }

  /** Fails the queued (never sent) requests. */
  failQueued(unsent: ErrorFactory): void {
    const queued = this.queued;
    this.queued = [];
    for (const req of queued) req.fail(unsent({ path: req.path }));
  }

  /** Fails every request: those in flight with `sent`, the queued ones with `unsent`. */
  failAll(unsent: ErrorFactory, sent: ErrorFactory): void {
    for (const req of this.pending.drain()) req.fail(sent({ path: req.path }));
    this.failQueued(unsent);
  }
}
