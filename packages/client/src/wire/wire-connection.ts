import { connect as netConnect, isIP, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { FrameDecoder } from './frame-decoder.js';

/** Callbacks of one {@link WireConnection}. */
export interface WireConnectionHandlers {
  /** TCP (and TLS) established. */
  readonly onOpen: () => void;
  /** One complete frame; throwing drops the connection with that error. */
  readonly onFrame: (frame: Buffer) => void;
  /** Called exactly once, when the socket is gone; `error` is the reason, if any. */
  readonly onClose: (error: Error | undefined) => void;
}

/**
 * One TCP or TLS socket to one server: frame splitting, write batching and receive/send timestamps. Writes
 * made in the same tick leave in one `writev` (the socket is corked until the next tick), which is what
 * keeps pipelined requests cheap. Nothing thrown while decoding escapes the `'data'` handler: it becomes the
 * close reason.
 *
 * @example
 * ```ts
 * const conn = new WireConnection('127.0.0.1', 2181, undefined, 16 << 20, { onOpen, onFrame, onClose });
 * conn.send(frame);
 * ```
 */
export class WireConnection {
  /** `performance.now()` when bytes last arrived (starts at creation). */
  lastReceivedAt: number;
  /** `performance.now()` when bytes were last handed to the socket. */
  lastSentAt: number;
  private readonly socket: Socket;
  private readonly decoder: FrameDecoder;
  private readonly handlers: WireConnectionHandlers;
  private closed = false;
  private finished = false;
  private corked = false;
  private closeError: Error | undefined;

  constructor(
    host: string,
    port: number,
    tls: ConnectionOptions | undefined,
    maxFrameBytes: number,
    handlers: WireConnectionHandlers,
  ) {
    this.handlers = handlers;
    this.decoder = new FrameDecoder(maxFrameBytes);
    this.lastReceivedAt = this.lastSentAt = performance.now();
    if (tls === undefined) {
      this.socket = netConnect({ host, port });
      this.socket.once('connect', () => this.opened());
    } else {
      const servername = tls.servername ?? (isIP(host) === 0 ? host : undefined);
      this.socket = tlsConnect({
        ...tls,
        host,
        port,
        ...(servername === undefined ? {} : { servername }),
      });
      this.socket.once('secureConnect', () => this.opened());
    }
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.received(chunk));
    this.socket.on('error', (err) => {
      this.closeError ??= err;
    });
    this.socket.once('close', () => this.finish());
  }

  /** True once the socket is closed or closing. */
  get isClosed(): boolean {
    return this.closed;
  }

  private opened(): void {
    if (this.closed) return;
    this.lastReceivedAt = performance.now();
    this.handlers.onOpen();
  }

  private received(chunk: Buffer): void {
    if (this.closed) return;
    this.lastReceivedAt = performance.now();
    try {
      this.decoder.push(chunk, this.handlers.onFrame);
    } catch (err) {
      this.close(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Queues a frame; frames sent in one tick are written together. */
  send(frame: Buffer): void {
    if (this.closed) return;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(frame);
    this.lastSentAt = performance.now();
  }

  /** Drops the connection; `onClose` follows with `error` (or the socket's own error). */
  close(error?: Error): void {
    if (this.closed) return;
    if (error !== undefined) this.closeError ??= error;
    this.closed = true;
    this.socket.destroy();
    // Report at once, not on the socket's later 'close' event: nothing may be sent on a dropped connection.
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    if (!this.closed) this.closeError ??= new Error('the server closed the connection');
    this.finished = true;
    this.closed = true;
    this.decoder.reset();
    this.handlers.onClose(this.closeError);
  }
}
