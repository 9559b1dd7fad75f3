import { performance } from 'node:perf_hooks';
import {
  AuthFailedError,
  ClientClosedError,
  ClosingError,
  ConnectionLossError,
  errorFromCode,
  InvalidStateError,
  SessionExpiredError,
  type ZkError,
  type ZkErrorOptions,
} from '../errors.js';
import type { ClientState, SessionListener } from '../zk-client.js';
import { AuthRegistry } from './auth-registry.js';
import { Heartbeat } from './heartbeat.js';
import { JuteReader } from './jute-reader.js';
import { JuteWriter } from './jute-writer.js';
import { OpCode, Xid } from './op-codes.js';
import {
  readConnectResponse,
  readReplyHeader,
  writeConnectRequest,
} from './records/session-records.js';
import {
  encodeRequest,
  RequestPipeline,
  type ErrorFactory,
  type PendingRequest,
  type ReplyHandler,
} from './request-pipeline.js';
import { ServerConnector } from './server-connector.js';
import { SessionListeners } from './session-listeners.js';
import { buildSetWatchesBatches } from './set-watches-batches.js';
import { WatchManager } from './watch-manager.js';
import { deliverNotification } from './watch-notification.js';
import { removeIdleWatch } from './watch-requests.js';
import type { WireConnection } from './wire-connection.js';
import type { WireSessionOptions } from './wire-session-options.js';

const REPLY_HEADER_BYTES = 16;

const FINAL: ReadonlySet<ClientState> = new Set(['expired', 'authFailed', 'closed']);

/**
 * The session engine of the wire transport: handshake, negotiated timeout, pings at T/3 of idle sending,
 * read timeout at 2T/3 (a hung server is noticed), shuffled host list with reconnect and backoff, session
 * re-establishment with id + password + last zxid, client-side expiry, auth replay, batched
 * SetWatches/SetWatches2, read-only mode, FIFO reply matching and a bounded, non-blocking close.
 *
 * **Client-side expiry.** When the client has heard nothing from the server for the negotiated session
 * timeout while disconnected, it declares the session `expired` itself instead of waiting for a server to
 * say so on reconnect: the server has (or is about to have) expired it, and every ephemeral node and watch
 * of it may already be gone. The native C client only learns this on reconnect, which can be arbitrarily
 * late during a partition.
 *
 * @example
 * ```ts
 * const session = new WireSession(options, watches);
 * session.start();
 * const stat = await session.submit(OpCode.exists, (w) => writePathWatchRequest(w, '/a', false), decodeExists);
 * ```
 */
export class WireSession {
  /** Current state. */
  state: ClientState = 'idle';
  sessionId: bigint;
  passwd: Buffer;
  negotiatedTimeoutMs: number | undefined;
  lastZxid = 0n;
  lastHeardAt = 0;
  readOnly = false;
  readonly watches: WatchManager;
  private readonly opts: WireSessionOptions;
  private readonly requests: RequestPipeline;
  private readonly listeners: SessionListeners;
  private readonly auth = new AuthRegistry();
  private readonly heartbeat = new Heartbeat();
  private readonly connector: ServerConnector;
  private handshaking = false;
  private connectedOnce = false;
  private seenRwServer = false;
  private expiryTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(opts: WireSessionOptions, watches?: WatchManager) {
    this.opts = opts;
    this.watches = watches ?? new WatchManager((path) => removeIdleWatch(this, path));
    this.requests = new RequestPipeline(opts.xidSeed);
    this.listeners = new SessionListeners(opts.onListenerError);
    this.sessionId = opts.sessionId ?? 0n;
    this.passwd = opts.sessionPassword ?? Buffer.alloc(16);
    this.seenRwServer = opts.sessionId !== undefined;
    this.connector = new ServerConnector(opts, {
      onOpen: (conn) => this.onOpen(conn),
      onFrame: (conn, frame) => this.onFrame(conn, frame),
      onClose: (conn, error) => this.onClose(conn, error),
      mayConnect: () => !FINAL.has(this.state) && this.closing === undefined,
      mayLeaveReadOnly: () => this.readOnly && !FINAL.has(this.state),
      sessionTimeoutMs: () => this.negotiatedTimeoutMs ?? this.opts.sessionTimeoutMs,
    });
  }

  private get conn(): WireConnection | undefined {
    return this.connector.conn;
  }

  /** Subscribes to session events. */
  onEvent(listener: SessionListener): () => void {
    return this.listeners.add(listener);
  }

  /** Hands an exception thrown by a user listener to the `onListenerError` option. */
  reportListenerError(error: unknown): void {
    this.opts.onListenerError(error);
  }

  /** Starts connecting (once). */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'connecting';
    this.connector.attempt();
  }

  /** Resolves on the next `connected` (at once if connected); rejects when the session ends. */
  whenConnected(): Promise<void> {
    if (this.state === 'connected') return Promise.resolve();
    if (FINAL.has(this.state)) return Promise.reject(this.finalError({}));
    return this.listeners.nextConnected();
  }

  /**
   * Sends one request and resolves with what `handler` returns for its reply. Requests made while
   * disconnected wait for the next connection; a connection loss fails every request in flight or waiting.
   */
  submit<T>(
    opCode: number,
    body: ((w: JuteWriter) => void) | undefined,
    handler: ReplyHandler<T>,
    path?: string,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (FINAL.has(this.state) || this.closing !== undefined || this.state === 'idle') {
        reject(this.finalError({ path }));
        return;
      }
      // A throw here (a body that cannot be encoded, a frame over the limit) rejects the promise.
      this.dispatch({
        frame: encodeRequest(opCode, body),
        path,
        xid: 0,
        onReply: (err, r) => resolve(handler(err, r)),
        fail: reject,
      });
    });
  }

  /** Adds credentials: sent now if connected and replayed on every later connection. */
  addAuth(scheme: string, auth: Buffer): Promise<void> {
    if (FINAL.has(this.state) || this.closing !== undefined || this.state === 'idle') {
      return Promise.reject(this.finalError({}));
    }
    const conn = this.conn;
    return this.auth.add(
      scheme,
      auth,
      this.isReady() && conn !== undefined ? (f) => conn.send(f) : undefined,
    );
  }

  private isReady(): boolean {
    return this.state === 'connected' && !this.handshaking && this.conn !== undefined;
  }

  private dispatch(req: PendingRequest): void {
    this.requests.dispatch(req, this.isReady() ? this.conn : undefined);
  }

  private onOpen(conn: WireConnection): void {
    if (conn !== this.conn) return;
    this.handshaking = true;
    const w = new JuteWriter(true);
    writeConnectRequest(w, {
      protocolVersion: 0,
      lastZxidSeen: this.lastZxid,
      timeOutMs: this.opts.sessionTimeoutMs,
      // A session first opened on a read-only server is local to it; Java asks for a fresh one once it can.
      sessionId: this.seenRwServer ? this.sessionId : 0n,
      passwd: this.seenRwServer ? this.passwd : Buffer.alloc(16),
      readOnly: this.opts.canBeReadOnly,
    });
    conn.send(w.finishFrame());
  }

  private onFrame(conn: WireConnection, frame: Buffer): void {
    if (conn !== this.conn || conn.isClosed) return;
    this.lastHeardAt = conn.lastReceivedAt;
    const r = new JuteReader(frame);
    if (this.handshaking) this.onConnectResponse(conn, r);
    else this.onReply(r);
  }

  private onConnectResponse(conn: WireConnection, r: JuteReader): void {
    if (r.remaining === REPLY_HEADER_BYTES) {
      // A server may refuse the handshake with a bare ReplyHeader, e.g. -119 NOTREADONLY from a read-only
      // server that cannot create a global session: this server is unusable, try the next one.
      const { err } = readReplyHeader(r);
      throw errorFromCode(err);
    }
    const res = readConnectResponse(r);
    this.connector.answered();
    if (res.timeOutMs <= 0 || res.sessionId === 0n) {
      this.end('expired');
      return;
    }
    const initial = !this.connectedOnce || res.sessionId !== this.sessionId;
    this.connectedOnce = true;
    this.sessionId = res.sessionId;
    this.passwd = res.passwd;
    this.negotiatedTimeoutMs = res.timeOutMs;
    this.readOnly = res.readOnly;
    if (!res.readOnly) this.seenRwServer = true;
    this.handshaking = false;
    this.state = 'connected';
    clearTimeout(this.expiryTimer);
    this.prime();
    this.heartbeat.start(conn, res.timeOutMs);
    this.connector.established(res.readOnly);
    this.listeners.emit({
      type: 'connected',
      sessionId: res.sessionId,
      negotiatedTimeoutMs: res.timeOutMs,
      readOnly: res.readOnly,
      initial,
    });
    this.listeners.connected();
  }

  /** Connection priming, in `ClientCnxn.primeConnection` order: auth, then watches, then user requests. */
  private prime(): void {
    const conn = this.conn;
    if (conn !== undefined) this.auth.replay((f) => conn.send(f));
    const batches = this.watches
      .reRegistration()
      .flatMap((lists) =>
        buildSetWatchesBatches(lists, this.lastZxid, this.opts.setWatchesBatchBytes),
      );
    for (const batch of batches) {
      const req: PendingRequest = {
        frame: batch,
        path: undefined,
        xid: 0,
        // A failed re-registration cannot be retried meaningfully; the server answers errors only for a
        // malformed packet, which the golden tests rule out.
        onReply: () => undefined,
        fail: () => undefined,
      };
      this.dispatch(req);
    }
    if (conn !== undefined) this.requests.flush(conn);
  }

  private onReply(r: JuteReader): void {
    const xid = r.readInt();
    const zxid = r.readLong();
    const err = r.readInt();
    if (xid === Xid.ping) return;
    if (xid === Xid.notification) {
      deliverNotification(r, this.watches, this.opts.chroot, this.opts.onListenerError);
      return;
    }
    if (xid === Xid.auth) {
      if (this.auth.onReply(err)) this.end('authFailed');
      return;
    }
    const req = this.requests.take(xid);
    if (zxid > this.lastZxid) this.lastZxid = zxid;
    RequestPipeline.deliver(req, err, r);
  }

  private onClose(conn: WireConnection, error: Error | undefined): void {
    if (!this.connector.closed(conn, error)) return;
    this.handshaking = false;
    this.heartbeat.stop();
    const final = FINAL.has(this.state) || this.closing !== undefined;
    const loss: ErrorFactory = final
      ? (o) => this.finalError(o)
      : (o) => new ConnectionLossError({ ...o, cause: error });
    this.failAll(loss, final ? (o) => new ClosingError({ ...o, cause: error }) : loss);
    if (final) return;
    if (this.state === 'connected') {
      // Only an established connection had watches on the server; it dropped them all.
      this.watches.connectionLost();
      this.state = 'disconnected';
      this.listeners.emit({ type: 'disconnected' });
      this.scheduleExpiry();
    }
    this.connector.scheduleReconnect();
  }

  private failAll(unsent: ErrorFactory, sent: ErrorFactory): void {
    this.requests.failAll(unsent, sent);
    this.auth.failAll(sent({}));
  }

  private scheduleExpiry(): void {
    const t = this.negotiatedTimeoutMs;
    if (t === undefined) return;
    const left = this.lastHeardAt + t - performance.now();
    clearTimeout(this.expiryTimer);
    this.expiryTimer = setTimeout(
      () => {
        if (this.state === 'connected') return;
        // libuv timers run on its cached loop clock and may fire a little before performance.now() says
        // the timeout has passed; never declare expiry early.
        if (performance.now() < this.lastHeardAt + t) this.scheduleExpiry();
        else this.end('expired');
      },
      Math.max(0, Math.ceil(left)),
    );
  }

  // ---- ending -----------------------------------------------------------------------------------------

  private finalError(o: ZkErrorOptions): ZkError {
    if (this.state === 'idle') return new InvalidStateError(o);
    if (this.state === 'expired') return new SessionExpiredError(o);
    if (this.state === 'authFailed') return new AuthFailedError(o);
    return new ClientClosedError(o);
  }

  /** Ends the session for good (expired or auth failed). */
  private end(state: 'expired' | 'authFailed'): void {
    if (FINAL.has(this.state)) return;
    this.state = state;
    this.stopTimers();
    const final: ErrorFactory = (o) => this.finalError(o);
    this.failAll(
      final,
      state === 'expired'
        ? final
        : (o) => new ConnectionLossError({ ...o, cause: this.finalError({}) }),
    );
    this.conn?.close();
    this.watches.clear();
    this.listeners.emit({ type: state });
    this.listeners.ended(() => this.finalError({}));
  }

  private stopTimers(): void {
    this.connector.stop();
    this.heartbeat.stop();
    clearTimeout(this.expiryTimer);
  }

  /**
   * Closes the session: sends `closeSession` when connected and waits for its reply (so replies to earlier
   * requests arrive first) at most `closeTimeoutMs`, then destroys the socket. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    this.stopTimers();
    this.requests.failQueued((o) => new ClientClosedError(o));
    this.auth.failQueued(new ClientClosedError());
    const conn = this.conn;
    if (conn !== undefined) {
      if (this.isReady()) {
        let timer: NodeJS.Timeout | undefined;
        const reply = new Promise<void>((resolve) => {
          const req: PendingRequest = {
            frame: encodeRequest(OpCode.closeSession, undefined),
            path: undefined,
            xid: 0,
            onReply: () => resolve(),
            fail: () => resolve(),
          };
          this.requests.dispatch(req, conn);
          timer = setTimeout(resolve, this.opts.closeTimeoutMs);
        });
        await reply;
        clearTimeout(timer);
      }
      await this.connector.closeCurrent();
    }
    this.failAll(
      (o) => new ClientClosedError(o),
      (o) => new ClosingError(o),
    );
    // Expired and auth-failed are final too (as on native): the handle keeps saying why it ended.
    if (FINAL.has(this.state)) return;
    this.state = 'closed';
    this.watches.clear();
    this.listeners.ended(() => new ClientClosedError());
    this.listeners.emit({ type: 'closed' });
  }
}
