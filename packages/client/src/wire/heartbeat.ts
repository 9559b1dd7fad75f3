import { performance } from 'node:perf_hooks';
import { JuteWriter } from './jute-writer.js';
import { OpCode, Xid } from './op-codes.js';
import type { WireConnection } from './wire-connection.js';

/**
 * Liveness of one connection, from the negotiated session timeout T (ClientCnxn, go-zookeeper): a ping
 * after T/3 without sending (at most every 10 s), and the connection is declared dead after 2T/3 without
 * receiving anything. The read timeout is what notices a hung server whose sockets stay open. Timers are
 * rescheduled from timestamps, never per frame, so traffic costs nothing here.
 *
 * @example
 * ```ts
 * const heartbeat = new Heartbeat();
 * heartbeat.start(conn, negotiatedTimeoutMs);
 * heartbeat.stop();
 * ```
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;

  /** Starts watching `conn`; it is closed with an error once the read timeout passes in silence. */
  start(conn: WireConnection, sessionTimeoutMs: number): void {
    this.stop();
    const readTimeout = (sessionTimeoutMs * 2) / 3;
    const pingInterval = Math.min(readTimeout / 2, 10_000);
    const tick = () => {
      if (conn.isClosed) return;
      const now = performance.now();
      const idleRecv = now - conn.lastReceivedAt;
      if (idleRecv >= readTimeout) {
        const ms = Math.round(readTimeout);
        conn.close(new Error(`no reply from the server within the read timeout of ${ms} ms`));
        return;
      }
      let idleSend = now - conn.lastSentAt;
      if (idleSend >= pingInterval) {
        conn.send(pingFrame());
        idleSend = 0;
      }
      this.schedule(tick, Math.min(readTimeout - idleRecv, pingInterval - idleSend));
    };
    this.schedule(tick, pingInterval);
  }

  private schedule(tick: () => void, delayMs: number): void {
    this.timer = setTimeout(tick, Math.max(1, delayMs));
    // The socket keeps the process alive while the session is open; the heartbeat need not.
    this.timer.unref();
  }

  /** Stops the timers. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function pingFrame(): Buffer {
  const w = new JuteWriter(true, 16);
  w.writeInt(Xid.ping);
  w.writeInt(OpCode.ping);
  return w.finishFrame();
}
