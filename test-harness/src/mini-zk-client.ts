import { connect, type Socket } from 'node:net';
import {
  ConnectionLossError,
  ConnectTimeoutError,
  errorFromCode,
  NoNodeError,
  NotEmptyError,
  parseConnectString,
  SessionExpiredError,
} from '@zookit/client';
import { FrameDecoder } from './frame-decoder.js';
import { JuteWriter } from './jute-writer.js';
import type { JuteReader } from './jute-reader.js';
import {
  decodeConnectResponse,
  decodeReply,
  encodeConnectRequest,
  encodeRequest,
  OpCode,
  SpecialXid,
  type ConnectResponseFields,
} from './zk-protocol.js';

/**
 * Options of {@link MiniZkClient.connect}.
 *
 * @example
 * ```ts
 * const options: MiniZkClientOptions = { connectString: '127.0.0.1:2181/app', sessionTimeoutMs: 6_000 };
 * ```
 */
export interface MiniZkClientOptions {
  /** `host:port[,host:port...][/chroot]`; hosts are tried in order. */
  readonly connectString: string;
  /** Requested session timeout. Default 10 000 ms. */
  readonly sessionTimeoutMs?: number;
  /** Resume this session instead of creating one. */
  readonly sessionId?: bigint;
  readonly sessionPassword?: Buffer;
  /** Per-host handshake timeout. Default 5 000 ms. */
  readonly connectTimeoutMs?: number;
}

/**
 * Node kinds {@link MiniZkClient.create} can make.
 *
 * @example
 * ```ts
 * await probe.create('/e', Buffer.alloc(0), 'ephemeral' satisfies MiniCreateMode);
 * ```
 */
export type MiniCreateMode =
  'persistent' | 'ephemeral' | 'persistent_sequential' | 'ephemeral_sequential' | 'container';

const CREATE_FLAGS: Record<MiniCreateMode, number> = {
  persistent: 0,
  ephemeral: 1,
  persistent_sequential: 2,
  ephemeral_sequential: 3,
  container: 4,
};

/**
 * A watch notification: ZooKeeper event type (1 created, 2 deleted, 3 data, 4 children) and path.
 *
 * @example
 * ```ts
 * probe.onWatchEvent((event: MiniWatchEvent) => console.log(event.type, event.path));
 * ```
 */
export interface MiniWatchEvent {
  readonly type: number;
  readonly state: number;
  readonly path: string;
}

interface Pending {
  readonly resolve: (reader: JuteReader) => void;
  readonly reject: (error: Error) => void;
  readonly path: string | undefined;
}

/**
 * Opens one TCP connection and performs the handshake; rejects on refusal, timeout or close.
 *
 * @example
 * ```ts
 * const { socket, response } = await handshake('127.0.0.1', 2181, encodeConnectRequest({ timeoutMs: 6_000 }), 5_000);
 * ```
 */
export function handshake(
  host: string,
  port: number,
  request: Buffer,
  timeoutMs: number,
): Promise<{
  socket: Socket;
  response: ConnectResponseFields;
  decoder: FrameDecoder;
  rest: Buffer[];
}> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const decoder = new FrameDecoder();
    const timer = setTimeout(
      () => fail(new ConnectTimeoutError(timeoutMs, `${host}:${port}`)),
      timeoutMs,
    );
    function fail(error: Error): void {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    }
    socket.setNoDelay(true);
    socket.on('connect', () => socket.write(request));
    socket.on('error', (error) => fail(new ConnectionLossError({ cause: error })));
    socket.on('close', () =>
      fail(
        new ConnectionLossError({ cause: new Error(`${host}:${port} closed during handshake`) }),
      ),
    );
    socket.on('data', function onData(chunk) {
      const [first, ...rest] = decoder.push(chunk);
      if (first === undefined) return;
      clearTimeout(timer);
      socket.removeAllListeners();
      resolve({ socket, response: decodeConnectResponse(first), decoder, rest });
    });
  });
}

/**
 * A deliberately tiny ZooKeeper client speaking the wire protocol itself: one connection, no reconnects,
 * no watches re-registration. The harness uses it for namespaces, session expiry and its own fault
 * tests, so those never depend on the client under test; tests can use it as an independent oracle.
 *
 * @example
 * ```ts
 * const probe = await MiniZkClient.connect({ connectString: ensemble.connectString });
 * await probe.create('/a', Buffer.from('x'));
 * await probe.close();
 * ```
 */
export class MiniZkClient {
  readonly sessionId: bigint;
  readonly sessionPassword: Buffer;
  /** Negotiated session timeout. */
  readonly sessionTimeoutMs: number;
  /** The `host:port` this connection went to. */
  readonly server: string;
  readonly #socket: Socket;
  readonly #chroot: string;
  readonly #pending = new Map<number, Pending>();
  readonly #watchListeners = new Set<(event: MiniWatchEvent) => void>();
  readonly #closed: Promise<void>;
  #xid = 1;
  #ping: NodeJS.Timeout | undefined;
  #open = true;

  private constructor(
    socket: Socket,
    response: ConnectResponseFields,
    server: string,
    chroot: string,
    decoder: FrameDecoder,
  ) {
    this.#socket = socket;
    this.sessionId = response.sessionId;
    this.sessionPassword = response.password;
    this.sessionTimeoutMs = response.timeoutMs;
    this.server = server;
    this.#chroot = chroot;
    this.#closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.#open = false;
        clearInterval(this.#ping);
        for (const pending of this.#pending.values())
          pending.reject(new ConnectionLossError({ path: pending.path }));
        this.#pending.clear();
        resolve();
      });
    });
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      let frames: Buffer[];
      try {
        frames = decoder.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const body of frames) this.#onFrame(body);
    });
    this.#ping = setInterval(
      () => socket.write(encodeRequest(SpecialXid.ping, OpCode.ping)),
      Math.max(100, this.sessionTimeoutMs / 3),
    );
    this.#ping.unref();
  }

  /**
   * Connects, trying each host in order. Rejects with `SessionExpiredError` when the server refuses the
   * given session (expired, or a wrong password), `ConnectionLossError`/`ConnectTimeoutError` otherwise.
   */
  static async connect(options: MiniZkClientOptions): Promise<MiniZkClient> {
    const { hosts, chroot = '' } = parseConnectString(options.connectString);
    const request = encodeConnectRequest({
      timeoutMs: options.sessionTimeoutMs ?? 10_000,
      ...(options.sessionId === undefined ? {} : { sessionId: options.sessionId }),
      ...(options.sessionPassword === undefined ? {} : { password: options.sessionPassword }),
    });
    let lastError: Error = new ConnectionLossError();
    for (const { host, port } of hosts) {
      try {
        const { socket, response, decoder, rest } = await handshake(
          host,
          port,
          request,
          options.connectTimeoutMs ?? 5_000,
        );
        if (response.timeoutMs <= 0) {
          socket.destroy();
          throw new SessionExpiredError();
        }
        const client = new MiniZkClient(socket, response, `${host}:${port}`, chroot, decoder);
        for (const body of rest) client.#onFrame(body);
        return client;
      } catch (error) {
        if (error instanceof SessionExpiredError) throw error;
        lastError = error as Error;
      }
    }
    throw lastError;
  }

  /** True until the connection closes. */
  get connected(): boolean {
    return this.#open;
  }

  /** Resolves when the connection has closed, for whatever reason. */
  closed(): Promise<void> {
    return this.#closed;
  }

  /** Listens to watch notifications. Returns the unsubscribe function. */
  onWatchEvent(listener: (event: MiniWatchEvent) => void): () => void {
    this.#watchListeners.add(listener);
    return () => this.#watchListeners.delete(listener);
  }

  #onFrame(body: Buffer): void {
    const { header, reader } = decodeReply(body);
    if (header.xid === SpecialXid.ping) return;
    if (header.xid === SpecialXid.notification) {
      const event = {
        type: reader.int(),
        state: reader.int(),
        path: this.#unchroot(reader.string() ?? ''),
      };
      for (const listener of this.#watchListeners) listener(event);
      return;
    }
    const pending = this.#pending.get(header.xid);
    if (pending === undefined) return;
    this.#pending.delete(header.xid);
    if (header.err === 0) pending.resolve(reader);
    else pending.reject(errorFromCode(header.err, { path: pending.path }));
  }

  #path(path: string): string {
    return this.#chroot === '' ? path : path === '/' ? this.#chroot : this.#chroot + path;
  }

  #unchroot(path: string): string {
    if (this.#chroot === '' || !path.startsWith(this.#chroot)) return path;
    return path.slice(this.#chroot.length) || '/';
  }

  /** Sends one request and resolves with a reader over the reply's fields; server errors become `ZkError`s. */
  request(opCode: number, body: Buffer = Buffer.alloc(0), path?: string): Promise<JuteReader> {
    if (!this.#open) return Promise.reject(new ConnectionLossError({ path }));
    const xid = this.#xid++;
    return new Promise((resolve, reject) => {
      this.#pending.set(xid, { resolve, reject, path });
      this.#socket.write(encodeRequest(xid, opCode, body));
    });
  }

  /** Creates a node with an open ACL; resolves with its path (with the sequence suffix, if any). */
  async create(
    path: string,
    data: Buffer = Buffer.alloc(0),
    mode: MiniCreateMode = 'persistent',
  ): Promise<string> {
    const body = new JuteWriter()
      .string(this.#path(path))
      .buffer(data)
      .int(1)
      .int(31)
      .string('world')
      .string('anyone')
      .int(CREATE_FLAGS[mode])
      .bytes();
    const reader = await this.request(
      mode === 'container' ? OpCode.createContainer : OpCode.create,
      body,
      path,
    );
    return this.#unchroot(reader.string() ?? '');
  }

  /** Creates a persistent node with a TTL (needs `extendedTypes`); resolves with its path. */
  async createTtl(path: string, data: Buffer, ttlMs: number): Promise<string> {
    const body = new JuteWriter()
      .string(this.#path(path))
      .buffer(data)
      .int(1)
      .int(31)
      .string('world')
      .string('anyone')
      .int(5)
      .long(BigInt(ttlMs))
      .bytes();
    const reader = await this.request(OpCode.createTtl, body, path);
    return this.#unchroot(reader.string() ?? '');
  }

  async delete(path: string, version = -1): Promise<void> {
    await this.request(
      OpCode.delete,
      new JuteWriter().string(this.#path(path)).int(version).bytes(),
      path,
    );
  }

  /** True if the node exists; with `watch`, a notification follows its next change. */
  async exists(path: string, watch = false): Promise<boolean> {
    try {
      await this.request(
        OpCode.exists,
        new JuteWriter().string(this.#path(path)).bool(watch).bytes(),
        path,
      );
      return true;
    } catch (error) {
      if (error instanceof NoNodeError) return false;
      throw error;
    }
  }

  async getData(path: string, watch = false): Promise<Buffer> {
    const reader = await this.request(
      OpCode.getData,
      new JuteWriter().string(this.#path(path)).bool(watch).bytes(),
      path,
    );
    return Buffer.from(reader.buffer() ?? Buffer.alloc(0));
  }

  async getChildren(path: string, watch = false): Promise<string[]> {
    const reader = await this.request(
      OpCode.getChildren,
      new JuteWriter().string(this.#path(path)).bool(watch).bytes(),
      path,
    );
    const count = reader.int();
    return Array.from({ length: Math.max(0, count) }, () => reader.string() ?? '');
  }

  /** Deletes `path` and everything below it; a missing node is not an error. */
  async deleteRecursive(path: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let children: string[];
      try {
        children = await this.getChildren(path);
      } catch (error) {
        if (error instanceof NoNodeError) return;
        throw error;
      }
      await Promise.all(
        children.map((child) =>
          this.deleteRecursive(path === '/' ? `/${child}` : `${path}/${child}`),
        ),
      );
      if (path === '/') return;
      try {
        await this.delete(path);
        return;
      } catch (error) {
        if (error instanceof NoNodeError) return;
        // Someone (an ephemeral owner, a recipe) added a child meanwhile: go again.
        if (!(error instanceof NotEmptyError) || attempt >= 10) throw error;
      }
    }
  }

  /** Drops the TCP connection without ending the session (it can be resumed until it times out). */
  disconnect(): void {
    this.#socket.destroy();
  }

  /** Ends the session (the server deletes its ephemerals) and closes the connection. Idempotent. */
  async close(): Promise<void> {
    if (this.#open) {
      try {
        await this.request(OpCode.closeSession);
      } catch {
        // The connection is already gone; the session will time out on its own.
      }
    }
    this.#socket.destroy();
    await this.#closed;
  }
}
