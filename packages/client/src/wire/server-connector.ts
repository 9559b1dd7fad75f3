import type { HostAddress } from '../connect-string.js';
import { HostProvider } from './host-provider.js';
import { RwServerProbe } from './rw-server-probe.js';
import { WireConnection } from './wire-connection.js';
import type { WireSessionOptions } from './wire-session-options.js';

/** What a {@link ServerConnector} asks of the session it connects. */
export interface ConnectorHandlers {
  readonly onOpen: (conn: WireConnection) => void;
  readonly onFrame: (conn: WireConnection, frame: Buffer) => void;
  readonly onClose: (conn: WireConnection, error: Error | undefined) => void;
  /** False once the session is over or closing: no further attempt is made. */
  readonly mayConnect: () => boolean;
  /** True while the session sits on a read-only server and may move to a read-write one. */
  readonly mayLeaveReadOnly: () => boolean;
  /** The negotiated session timeout, else the requested one. */
  readonly sessionTimeoutMs: () => number;
}

/**
 * The server side of a wire session's connection management: which server to try next (shuffled list,
 * a backoff pause after each full round), the per-attempt connect timeout (session timeout / number of
 * hosts, at least 1 s), and, while on a read-only server, the probe that moves the session to a
 * read-write one. It owns the current {@link WireConnection}; the session owns the protocol on it.
 *
 * @example
 * ```ts
 * const connector = new ServerConnector(options, handlers);
 * connector.attempt();
 * ```
 */
export class ServerConnector {
  /** The connection being opened or in use, if any. */
  conn: WireConnection | undefined;
  private readonly opts: WireSessionOptions;
  private readonly handlers: ConnectorHandlers;
  private readonly hosts: HostProvider;
  private readonly rwProbe: RwServerProbe;
  private currentHost: HostAddress | undefined;
  private attemptTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private connClosed: (() => void) | undefined;

  constructor(opts: WireSessionOptions, handlers: ConnectorHandlers) {
    this.opts = opts;
    this.handlers = handlers;
    this.hosts = new HostProvider(opts.hosts, opts.shuffleHosts, opts.random);
    this.rwProbe = new RwServerProbe(this.hosts.order, opts.random, (host) => this.switchTo(host));
  }

  /** Opens a connection to `host`, else to the next server of the list. */
  attempt(host?: HostAddress): void {
    this.reconnectTimer = undefined;
    if (!this.handlers.mayConnect()) return;
    const target = host ?? this.hosts.next();
    this.currentHost = target;
    const conn: WireConnection = new WireConnection(
      target.host,
      target.port,
      this.opts.tls,
      this.opts.maxReplyBytes,
      {
        onOpen: () => this.handlers.onOpen(conn),
        onFrame: (frame) => this.handlers.onFrame(conn, frame),
        onClose: (error) => this.handlers.onClose(conn, error),
      },
    );
    this.conn = conn;
    const timeoutMs = Math.max(1000, this.handlers.sessionTimeoutMs() / this.hosts.size);
    this.attemptTimer = setTimeout(() => conn.close(new Error('connect timeout')), timeoutMs);
  }

  /** The server answered the handshake: the attempt's connect timeout no longer applies. */
  answered(): void {
    clearTimeout(this.attemptTimer);
  }

  /** The session is established on the current server (read-only or not). */
  established(readOnly: boolean): void {
    this.hosts.onConnected();
    if (readOnly && this.currentHost !== undefined) this.rwProbe.start(this.currentHost);
    else this.rwProbe.stop();
  }

  /**
   * Accounts for a closed connection; false when it was not the current one (nothing to do). Reports the
   * error to `onConnectionError`.
   */
  closed(conn: WireConnection, error: Error | undefined): boolean {
    if (conn !== this.conn) return false;
    this.conn = undefined;
    clearTimeout(this.attemptTimer);
    this.rwProbe.stop();
    this.connClosed?.();
    if (error !== undefined && this.currentHost !== undefined) {
      this.opts.onConnectionError?.(error, `${this.currentHost.host}:${this.currentHost.port}`);
    }
    return true;
  }

  /** Tries the next server: at once within a round of the list, after a jittered pause between rounds. */
  scheduleReconnect(): void {
    let delay = 0;
    if (this.hosts.cycleComplete) {
      this.hosts.startCycle();
      delay = this.opts.reconnectDelayMs * (0.5 + this.opts.random() / 2);
    }
    this.reconnectTimer = setTimeout(() => this.attempt(), delay);
  }

  /** Closes the current connection and resolves once it is closed (the session's `onClose` has run). */
  async closeCurrent(): Promise<void> {
    const conn = this.conn;
    if (conn === undefined) return;
    const gone = new Promise<void>((resolve) => (this.connClosed = resolve));
    conn.close();
    await gone;
  }

  /** Stops every timer and the read-write probe. */
  stop(): void {
    clearTimeout(this.attemptTimer);
    clearTimeout(this.reconnectTimer);
    this.rwProbe.stop();
  }

  /** Switches to a read-write server found by the read-only probe. */
  private switchTo(host: HostAddress): void {
    if (!this.handlers.mayLeaveReadOnly() || this.conn === undefined) return;
    const old = this.conn;
    clearTimeout(this.reconnectTimer);
    // Reconnect to the probed host right after the old socket closes.
    this.connClosed = () => {
      this.connClosed = undefined;
      queueMicrotask(() => {
        clearTimeout(this.reconnectTimer);
        if (this.conn === undefined) this.attempt(host);
      });
    };
    old.close(new Error('moving to a read-write server'));
  }
}
