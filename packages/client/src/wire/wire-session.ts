import { performance } from 'node:perf_hooks';
import type { ConnectionOptions } from 'node:tls';
import {
  AuthFailedError,
  ClientClosedError,
  ClosingError,
  ConnectionLossError,
  errorFromCode,
  InvalidArgumentError,
  InvalidStateError,
  SessionExpiredError,
  type ZkError,
  type ZkErrorOptions,
} from '../errors.js';
import { watchEventTypeFromInt } from '../watch-event.js';
import type { ClientState, SessionEvent, SessionListener } from '../zk-client.js';
import type { Chroot } from './chroot.js';
import type { HostAddress } from '../connect-string.js';
import { FifoQueue } from './fifo-queue.js';
import { HostProvider } from './host-provider.js';
import { JuteDecodeError } from './jute-decode-error.js';
import { JuteReader } from './jute-reader.js';
import { JuteWriter } from './jute-writer.js';
import { MAX_PACKET_BYTES, OpCode, Xid } from './op-codes.js';
import {
  readConnectResponse,
  readReplyHeader,
  readWatcherEvent,
  writeConnectRequest,
} from './records/session-records.js';
import { AuthRegistry } from './auth-registry.js';
import { Heartbeat } from './heartbeat.js';
import { RwServerProbe } from './rw-server-probe.js';
import { buildSetWatchesBatches } from './set-watches-batches.js';
import { WatchManager } from './watch-manager.js';
import { WireConnection } from './wire-connection.js';
import { XidGenerator } from './xid-generator.js';

/** Settings of a {@link WireSession}, already defaulted and validated by the client. */
export interface WireSessionOptions {
  readonly hosts: readonly HostAddress[];
  readonly shuffleHosts: boolean;
  readonly random: () => number;
  readonly sessionTimeoutMs: number;
  readonly sessionId: bigint | undefined;
  readonly sessionPassword: Buffer | undefined;
  readonly canBeReadOnly: boolean;
  readonly tls: ConnectionOptions | undefined;
  readonly xidSeed: number;
  readonly maxReplyBytes: number;
  readonly reconnectDelayMs: number;
  readonly closeTimeoutMs: number;
  readonly setWatchesBatchBytes: number;
  readonly chroot: Chroot;
  readonly onListenerError: (error: unknown) => void;
  readonly onConnectionError: ((error: Error, server: string) => void) | undefined;
}

/** Decodes a reply body (called only when the header's err is 0) or maps a non-zero err to an error. */
export type ReplyHandler<T> = (err: number, reader: JuteReader) => T;

/** Makes the error for one failed request, naming its path. */
type ErrorFactory = (options: ZkErrorOptions) => ZkError;

interface Request {
  readonly frame: Buffer;
  readonly path: string | undefined;
  xid: number;
  readonly onReply: (err: number, reader: JuteReader) => void;
  readonly fail: (error: ZkError) => void;
}

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
  private readonly hosts: HostProvider;
  private readonly xids: XidGenerator;
  private readonly listeners = new Set<SessionListener>();
  private readonly pending = new FifoQueue<Request>();
  private queued: Request[] = [];
  private readonly auth = new AuthRegistry();
  private readonly heartbeat = new Heartbeat();
  private conn: WireConnection | undefined;
  private currentHost: HostAddress | undefined;
  private handshaking = false;
  private connectedOnce = false;
  private seenRwServer = false;
  private attemptTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  private readonly rwProbe: RwServerProbe;
  private closing: Promise<void> | undefined;
  private connWaiters: { resolve(): void; reject(error: ZkError): void }[] = [];
  private connClosed: (() => void) | undefined;

  constructor(opts: WireSessionOptions, watches: WatchManager = new WatchManager()) {
    this.opts = opts;
    this.watches = watches;
    this.hosts = new HostProvider(opts.hosts, opts.shuffleHosts, opts.random);
    this.xids = new XidGenerator(opts.xidSeed);
    this.sessionId = opts.sessionId ?? 0n;
    this.passwd = opts.sessionPassword ?? Buffer.alloc(16);
    this.seenRwServer = opts.sessionId !== undefined;
    this.rwProbe = new RwServerProbe(this.hosts.order, opts.random, (host) => this.switchTo(host));
  }

  /** Subscribes to session events. */
  onEvent(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hands an exception thrown by a user listener to the `onListenerError` option. */
  reportListenerError(error: unknown): void {
    this.opts.onListenerError(error);
  }

  /** Starts connecting (once). */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'connecting';
    this.attempt();
  }

  /** Resolves on the next `connected` (at once if connected); rejects when the session ends. */
  whenConnected(): Promise<void> {
    if (this.state === 'connected') return Promise.resolve();
    if (FINAL.has(this.state)) return Promise.reject(this.finalError({}));
    return new Promise((resolve, reject) => this.connWaiters.push({ resolve, reject }));
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
      const w = new JuteWriter(true);
      w.writeInt(0); // xid, patched in when the request is sent
      w.writeInt(opCode);
      body?.(w);
      if (w.length > MAX_PACKET_BYTES) {
        reject(
          new InvalidArgumentError(
            'request',
            `encodes to ${w.length} bytes, over the server's 1 MiB limit`,
          ),
        );
        return;
      }
      this.dispatch({
        frame: w.finishFrame(),
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

  private dispatch(req: Request): void {
    if (!this.isReady() || this.conn === undefined) {
      this.queued.push(req);
      return;
    }
    req.xid = this.xids.next();
    req.frame.writeInt32BE(req.xid, 4);
    this.pending.push(req);
    this.conn.send(req.frame);
  }

  // ---- connecting -------------------------------------------------------------------------------------

  private attemptTimeoutMs(): number {
    return Math.max(
      1000,
      (this.negotiatedTimeoutMs ?? this.opts.sessionTimeoutMs) / this.hosts.size,
    );
  }

  private attempt(host?: HostAddress): void {
    this.reconnectTimer = undefined;
    if (FINAL.has(this.state) || this.closing !== undefined) return;
    const target = host ?? this.hosts.next();
    this.currentHost = target;
    const { host: name, port } = target;
    const conn: WireConnection = new WireConnection(
      name,
      port,
      this.opts.tls,
      this.opts.maxReplyBytes,
      {
        onOpen: () => this.onOpen(conn),
        onFrame: (frame) => this.onFrame(conn, frame),
        onClose: (error) => this.onClose(conn, error),
      },
    );
    this.conn = conn;
    this.handshaking = true;
    this.attemptTimer = setTimeout(
      () => conn.close(new Error('connect timeout')),
      this.attemptTimeoutMs(),
    );
  }

  private onOpen(conn: WireConnection): void {
    if (conn !== this.conn) return;
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
    clearTimeout(this.attemptTimer);
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
    this.hosts.onConnected();
    clearTimeout(this.expiryTimer);
    this.prime();
    this.heartbeat.start(conn, res.timeOutMs);
    if (res.readOnly && this.currentHost !== undefined) this.rwProbe.start(this.currentHost);
    else this.rwProbe.stop();
    this.emit({
      type: 'connected',
      sessionId: res.sessionId,
      negotiatedTimeoutMs: res.timeOutMs,
      readOnly: res.readOnly,
      initial,
    });
    const waiters = this.connWaiters;
    this.connWaiters = [];
    for (const w of waiters) w.resolve();
  }

  /** Connection priming, in `ClientCnxn.primeConnection` order: auth, then watches, then user requests. */
  private prime(): void {
    const conn = this.conn;
    if (conn !== undefined) this.auth.replay((f) => conn.send(f));
    for (const batch of buildSetWatchesBatches(
      this.watches.lists(),
      this.lastZxid,
      this.opts.setWatchesBatchBytes,
    )) {
      const req: Request = {
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
    const queued = this.queued;
    this.queued = [];
    for (const req of queued) this.dispatch(req);
  }

  private onReply(r: JuteReader): void {
    const xid = r.readInt();
    const zxid = r.readLong();
    const err = r.readInt();
    if (xid === Xid.ping) return;
    if (xid === Xid.notification) {
      this.onNotification(r);
      return;
    }
    if (xid === Xid.auth) {
      if (this.auth.onReply(err)) this.end('authFailed');
      return;
    }
    const req = this.pending.shift();
    if (req === undefined || req.xid !== xid) {
      if (req !== undefined) req.fail(new ConnectionLossError({ path: req.path }));
      throw new JuteDecodeError(
        `reply xid ${xid} does not match the oldest request (${req?.xid ?? 'none'})`,
        0,
      );
    }
    if (zxid > this.lastZxid) this.lastZxid = zxid;
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

  private onNotification(r: JuteReader): void {
    const ev = readWatcherEvent(r);
    const type = watchEventTypeFromInt[ev.type];
    if (type === undefined) return;
    const listeners = this.watches.trigger(ev.type, ev.path);
    if (listeners.size === 0) return;
    const event = { type, path: this.opts.chroot.toClient(ev.path) };
    for (const l of listeners) {
      try {
        l(event);
      } catch (e) {
        this.opts.onListenerError(e);
      }
    }
  }

  private onClose(conn: WireConnection, error: Error | undefined): void {
    if (conn !== this.conn) return;
    this.conn = undefined;
    this.handshaking = false;
    clearTimeout(this.attemptTimer);
    this.heartbeat.stop();
    this.rwProbe.stop();
    this.connClosed?.();
    if (error !== undefined && this.currentHost !== undefined) {
      this.opts.onConnectionError?.(error, `${this.currentHost.host}:${this.currentHost.port}`);
    }
    const final = FINAL.has(this.state) || this.closing !== undefined;
    const loss: ErrorFactory = final
      ? (o) => this.finalError(o)
      : (o) => new ConnectionLossError({ ...o, cause: error });
    this.failAll(loss, final ? (o) => new ClosingError({ ...o, cause: error }) : loss);
    if (final) return;
    if (this.state === 'connected') {
      this.state = 'disconnected';
      this.emit({ type: 'disconnected' });
      this.scheduleExpiry();
    }
    this.scheduleReconnect();
  }

  private failAll(unsent: ErrorFactory, sent: ErrorFactory): void {
    for (const req of this.pending.drain()) req.fail(sent({ path: req.path }));
    const queued = this.queued;
    this.queued = [];
    for (const req of queued) req.fail(unsent({ path: req.path }));
    this.auth.failAll(sent({}));
  }

  private scheduleReconnect(): void {
    let delay = 0;
    if (this.hosts.cycleComplete) {
      this.hosts.startCycle();
      delay = this.opts.reconnectDelayMs * (0.5 + this.opts.random() / 2);
    }
    this.reconnectTimer = setTimeout(() => this.attempt(), delay);
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

  /** Switches to a read-write server found by the read-only probe. */
  private switchTo(host: HostAddress): void {
    if (!this.readOnly || this.conn === undefined || FINAL.has(this.state)) return;
    const old = this.conn;
    clearTimeout(this.reconnectTimer);
    // Reconnect to the probed host right after the old socket closes.
    this.connClosed = () => {
      this.connClosed = undefined;
      queueMicrotask(() => {
        clearTimeout(this.reconnectTimer);
        if (!FINAL.has(this.state) && this.conn === undefined) this.attempt(host);
      });
    };
    old.close(new Error('moving to a read-write server'));
  }

  // ---- timers -----------------------------------------------------------------------------------------

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
    this.emit({ type: state });
    const waiters = this.connWaiters;
    this.connWaiters = [];
    for (const w of waiters) w.reject(this.finalError({}));
  }

  private stopTimers(): void {
    clearTimeout(this.attemptTimer);
    this.heartbeat.stop();
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.expiryTimer);
    this.rwProbe.stop();
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
    const queued = this.queued;
    this.queued = [];
    for (const req of queued) req.fail(new ClientClosedError({ path: req.path }));
    this.auth.failQueued(new ClientClosedError());
    const conn = this.conn;
    if (conn !== undefined) {
      if (this.isReady()) {
        let timer: NodeJS.Timeout | undefined;
        const reply = new Promise<void>((resolve) => {
          const w = new JuteWriter(true, 16);
          w.writeInt(0);
          w.writeInt(OpCode.closeSession);
          const req: Request = {
            frame: w.finishFrame(),
            path: undefined,
            xid: 0,
            onReply: () => resolve(),
            fail: () => resolve(),
          };
          req.xid = this.xids.next();
          req.frame.writeInt32BE(req.xid, 4);
          this.pending.push(req);
          conn.send(req.frame);
          timer = setTimeout(resolve, this.opts.closeTimeoutMs);
        });
        await reply;
        clearTimeout(timer);
      }
      if (this.conn === conn) {
        const gone = new Promise<void>((resolve) => (this.connClosed = resolve));
        conn.close();
        await gone;
      }
    }
    this.failAll(
      (o) => new ClientClosedError(o),
      (o) => new ClosingError(o),
    );
    this.state = 'closed';
    this.watches.clear();
    const waiters = this.connWaiters;
    this.connWaiters = [];
    for (const w of waiters) w.reject(new ClientClosedError());
    this.emit({ type: 'closed' });
  }

  private emit(event: SessionEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (e) {
        this.opts.onListenerError(e);
      }
    }
  }
}
