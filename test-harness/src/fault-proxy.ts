import { connect, createServer, type Server, type Socket } from 'node:net';
import { InvalidArgumentError } from '@zookit/client';
import { FrameDecoder } from './frame-decoder.js';
import { decodeReply } from './zk-protocol.js';

/**
 * Options of {@link FaultProxy.start}.
 *
 * @example
 * ```ts
 * const options: FaultProxyOptions = { target: '127.0.0.1:2181' };
 * ```
 */
export interface FaultProxyOptions {
  /** The server to forward to, `host:port`. */
  readonly target: string;
  /** Port to listen on (127.0.0.1). Default: any free port. */
  readonly port?: number;
}

/**
 * The reply {@link FaultProxy.dropNextReply} swallowed.
 *
 * @example
 * ```ts
 * const { opCode, zxid } = await proxy.dropNextReply();
 * ```
 */
export interface DroppedReply {
  readonly xid: number;
  /** The request's op code (1 create, 2 delete, 5 setData, 14 multi, ...). */
  readonly opCode: number;
  /** The zxid the server applied the request at (0 for reads). */
  readonly zxid: bigint;
  /** The server's result code (0 = applied). */
  readonly err: number;
}

interface Deferred {
  readonly promise: Promise<DroppedReply>;
  readonly resolve: (reply: DroppedReply) => void;
  readonly reject: (error: Error) => void;
}

interface Link {
  readonly client: Socket;
  upstream: Socket | undefined;
  readonly toServer: FrameDecoder;
  readonly toClient: FrameDecoder;
  handshakeSent: boolean;
  handshakeAnswered: boolean;
  /** Frames held while partitioned, delivered on heal. */
  heldToServer: Buffer[];
  heldToClient: Buffer[];
  clientGone: boolean;
  upstreamGone: boolean;
  /** The request whose reply must be swallowed: xid and op code. */
  drop: { xid: number; opCode: number } | undefined;
}

/**
 * A TCP proxy in front of one ZooKeeper server that injects network faults. It forwards whole
 * length-prefixed frames, so it can tell requests and replies apart without a full protocol parser.
 *
 * - `partition()`: a black hole both ways. Sockets stay open (no FIN, no RST); new connections are accepted
 *   and get nothing. Bytes are held, not forwarded; `heal()` delivers them in order, as TCP would once a
 *   partition ends. A server that closed meanwhile is seen closed by the client only then; what a client
 *   sent on a connection it has closed meanwhile is discarded (the server only sees that connection go).
 * - `dropConnections()`: destroys every current connection, both sides, at once.
 * - `dropNextReply()`: the next client request (not a ping) is forwarded, the server applies it, and its
 *   reply is swallowed and the connection cut: the client sees a connection loss for a request that did
 *   happen (Curator's ChaosMonkeyCnxnFactory case).
 *
 * @example
 * ```ts
 * await using proxy = await FaultProxy.start({ target: ensemble.connectStringFor(0) });
 * const client = createZkClient({ connectString: proxy.connectString });
 * proxy.partition();
 * proxy.heal();
 * ```
 */
export class FaultProxy implements AsyncDisposable {
  readonly target: { readonly host: string; readonly port: number };
  /** The port clients connect to (kept after close, for error messages). */
  readonly port: number;
  readonly #server: Server;
  readonly #links = new Set<Link>();
  #partitioned = false;
  #dropArmed: Deferred | undefined;
  #accepted = 0;
  #forwardedToServer = 0;
  #forwardedToClient = 0;
  #heldToServer = 0;
  #heldToClient = 0;
  #closing: Promise<void> | undefined;

  private constructor(server: Server, target: { host: string; port: number }) {
    this.#server = server;
    this.target = target;
    const address = server.address();
    this.port = typeof address === 'object' && address !== null ? address.port : 0;
    server.on('connection', (socket) => this.#accept(socket));
  }

  /** Starts listening on 127.0.0.1. */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const match = /^([^:,/]+):(\d+)$/.exec(options.target);
    const port = Number(match?.[2]);
    if (match?.[1] === undefined || !Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new InvalidArgumentError(
        'target',
        `must be host:port, got ${JSON.stringify(options.target)}`,
      );
    }
    const server = createServer({ noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: options.port ?? 0 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new FaultProxy(server, { host: match[1], port });
  }

  /** `127.0.0.1:<port>`, to give a client instead of the server's address. */
  get connectString(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Connections currently open through the proxy. */
  get connectionCount(): number {
    return this.#links.size;
  }

  /** Connections accepted since start. */
  get acceptedCount(): number {
    return this.#accepted;
  }

  /**
   * Bytes passed on since start, per direction (whole frames, length prefix included). Unchanged while
   * partitioned: that is what tells a black hole from a slow link.
   *
   * @example
   * ```ts
   * const before = proxy.forwardedBytes.toServer;
   * proxy.partition();
   * await client.create('/x').catch(() => undefined);
   * proxy.forwardedBytes.toServer === before; // true
   * ```
   */
  get forwardedBytes(): { readonly toServer: number; readonly toClient: number } {
    return { toServer: this.#forwardedToServer, toClient: this.#forwardedToClient };
  }

  /**
   * Bytes received and held back by a partition since start, per direction; they count in
   * {@link FaultProxy.forwardedBytes} too once `heal()` delivers them.
   *
   * @example
   * ```ts
   * proxy.partition();
   * const create = client.create('/x');
   * await vi.waitFor(() => expect(proxy.heldBytes.toServer).toBeGreaterThan(0));
   * ```
   */
  get heldBytes(): { readonly toServer: number; readonly toClient: number } {
    return { toServer: this.#heldToServer, toClient: this.#heldToClient };
  }

  get isPartitioned(): boolean {
    return this.#partitioned;
  }

  /** Black-holes both directions of every connection, current and new, until {@link FaultProxy.heal}. */
  partition(): void {
    this.#partitioned = true;
  }

  /** Ends the partition: held bytes and closes are delivered in order, new bytes flow again. */
  heal(): void {
    if (!this.#partitioned) return;
    this.#partitioned = false;
    for (const link of [...this.#links]) {
      if (link.clientGone) {
        // A client that gave up on this connection must not reach the server late: a stale handshake
        // for its session would kick the connection it has opened since.
        this.#destroy(link);
        continue;
      }
      if (link.upstream === undefined) this.#connectUpstream(link);
      const toServer = link.heldToServer;
      const toClient = link.heldToClient;
      link.heldToServer = [];
      link.heldToClient = [];
      for (const frame of toServer) this.#sendToServer(link, frame);
      for (const frame of toClient) this.#sendToClient(link, frame);
      if (link.upstreamGone) this.#finish(link);
    }
  }

  /** Destroys every current connection, both sides. New connections work as before. */
  dropConnections(): void {
    for (const link of [...this.#links]) this.#destroy(link);
  }

  /**
   * Arms a one-shot fault: the next request a client sends through the proxy (pings, auth and set-watches
   * excepted) goes to the server, but its reply is swallowed and that connection destroyed. Resolves with
   * the dropped reply once that has happened (rejects only if the proxy closes first).
   */
  dropNextReply(): Promise<DroppedReply> {
    if (this.#dropArmed !== undefined) return this.#dropArmed.promise;
    let resolve!: (reply: DroppedReply) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<DroppedReply>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A caller that does not await must not turn close() into an unhandled rejection.
    promise.catch(() => undefined);
    this.#dropArmed = { promise, resolve, reject };
    return promise;
  }

  #accept(client: Socket): void {
    this.#accepted++;
    const link: Link = {
      client,
      upstream: undefined,
      toServer: new FrameDecoder(),
      toClient: new FrameDecoder(),
      handshakeSent: false,
      handshakeAnswered: false,
      heldToServer: [],
      heldToClient: [],
      clientGone: false,
      upstreamGone: false,
      drop: undefined,
    };
    this.#links.add(link);
    client.setNoDelay(true);
    client.on('data', (chunk) => {
      let frames: Buffer[];
      try {
        frames = link.toServer.pushRaw(chunk);
      } catch {
        this.#destroy(link);
        return;
      }
      for (const frame of frames) this.#fromClient(link, frame);
    });
    client.on('error', () => undefined);
    client.on('close', () => {
      link.clientGone = true;
      if (!this.#partitioned) this.#finish(link);
    });
    if (!this.#partitioned) this.#connectUpstream(link);
  }

  #connectUpstream(link: Link): void {
    const upstream = connect({ host: this.target.host, port: this.target.port });
    link.upstream = upstream;
    upstream.setNoDelay(true);
    upstream.on('data', (chunk) => {
      let frames: Buffer[];
      try {
        frames = link.toClient.pushRaw(chunk);
      } catch {
        this.#destroy(link);
        return;
      }
      for (const frame of frames) this.#fromServer(link, frame);
    });
    upstream.on('error', () => undefined);
    upstream.on('close', () => {
      link.upstreamGone = true;
      if (!this.#partitioned) this.#finish(link);
    });
  }

  #fromClient(link: Link, frame: Buffer): void {
    if (!link.handshakeSent) {
      link.handshakeSent = true;
    } else if (this.#dropArmed !== undefined && link.drop === undefined && frame.length >= 12) {
      const xid = frame.readInt32BE(4);
      // Negative xids are pings (-2), auth (-4) and set-watches (-8): not requests a caller awaits.
      if (xid >= 0) link.drop = { xid, opCode: frame.readInt32BE(8) };
    }
    if (this.#partitioned) {
      link.heldToServer.push(frame);
      this.#heldToServer += frame.length;
    } else this.#sendToServer(link, frame);
  }

  #fromServer(link: Link, frame: Buffer): void {
    if (!link.handshakeAnswered) {
      link.handshakeAnswered = true;
    } else if (link.drop !== undefined && frame.length >= 20) {
      const { header } = decodeReply(frame.subarray(4));
      if (header.xid === link.drop.xid) {
        const armed = this.#dropArmed;
        this.#dropArmed = undefined;
        const { opCode } = link.drop;
        link.drop = undefined;
        this.#destroy(link);
        armed?.resolve({ xid: header.xid, opCode, zxid: header.zxid, err: header.err });
        return;
      }
    }
    if (this.#partitioned) {
      link.heldToClient.push(frame);
      this.#heldToClient += frame.length;
    } else this.#sendToClient(link, frame);
  }

  // A link leaves #links when it is cut; later frames of the same chunk must go nowhere.
  #sendToServer(link: Link, frame: Buffer): void {
    if (!this.#links.has(link) || link.upstreamGone || link.upstream === undefined) return;
    link.upstream.write(frame);
    this.#forwardedToServer += frame.length;
  }

  #sendToClient(link: Link, frame: Buffer): void {
    if (!this.#links.has(link) || link.clientGone) return;
    link.client.write(frame);
    this.#forwardedToClient += frame.length;
  }

  // One side closed: the other gets what was already written to it, then a FIN.
  #finish(link: Link): void {
    if (!this.#links.delete(link)) return;
    for (const socket of [link.client, link.upstream]) {
      if (socket === undefined || socket.destroyed) continue;
      socket.end(() => socket.destroy());
    }
  }

  #destroy(link: Link): void {
    if (!this.#links.delete(link)) return;
    link.client.destroy();
    link.upstream?.destroy();
    // A request armed for dropping that died with its connection: the next request gets the fault.
    link.drop = undefined;
  }

  /** Closes every connection and stops listening. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      this.dropConnections();
      this.#dropArmed?.reject(new Error('FaultProxy closed before a reply was dropped'));
      this.#dropArmed = undefined;
      this.#server.close(() => resolve());
    });
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
