import { AuthFailedError, errorFromCode, type ZkError } from '../errors.js';
import { JuteWriter } from './jute-writer.js';
import { OpCode, Xid } from './op-codes.js';
import { writeAuthPacket } from './records/session-records.js';

interface AuthWaiter {
  resolve(): void;
  reject(error: ZkError): void;
}

/** Result code of an auth reply that ends the session. */
const AUTH_FAILED = -115;

/**
 * Credentials added with `addAuth`: kept for the session's life and replayed first on every new
 * connection (the classic bug of clients that forget: go-zookeeper #139, Curator #245, kazoo #172). Auth
 * replies carry xid -4 and may overtake other replies, so their waiters have their own FIFO.
 *
 * @example
 * ```ts
 * const auth = new AuthRegistry();
 * const done = auth.add('digest', Buffer.from('alice:secret'), ready ? send : undefined);
 * auth.replay(send); // after each handshake
 * ```
 */
export class AuthRegistry {
  private readonly creds: { scheme: string; auth: Buffer }[] = [];
  private inFlight: (AuthWaiter | undefined)[] = [];
  /** Waiters of credentials added while disconnected, in the order of the last creds. */
  private queued: AuthWaiter[] = [];

  /** Stores credentials; sends them now through `send` when connected, else at the next replay. */
  add(scheme: string, auth: Buffer, send: ((frame: Buffer) => void) | undefined): Promise<void> {
    this.creds.push({ scheme, auth });
    return new Promise<void>((resolve, reject) => {
      const waiter = { resolve, reject };
      if (send === undefined) this.queued.push(waiter);
      else this.send(send, scheme, auth, waiter);
    });
  }

  /** Sends every stored credential on a fresh connection. */
  replay(send: (frame: Buffer) => void): void {
    const queued = this.queued;
    this.queued = [];
    const fresh = this.creds.length - queued.length;
    this.creds.forEach((c, i) =>
      this.send(send, c.scheme, c.auth, i >= fresh ? queued[i - fresh] : undefined),
    );
  }

  private send(
    send: (frame: Buffer) => void,
    scheme: string,
    auth: Buffer,
    waiter: AuthWaiter | undefined,
  ): void {
    const w = new JuteWriter(true);
    w.writeInt(Xid.auth);
    w.writeInt(OpCode.auth);
    writeAuthPacket(w, scheme, auth);
    this.inFlight.push(waiter);
    send(w.finishFrame());
  }

  /** Settles the oldest auth request; true when the server refused it (the session is then unusable). */
  onReply(err: number): boolean {
    const waiter = this.inFlight.shift();
    if (err === AUTH_FAILED) {
      waiter?.reject(new AuthFailedError());
      return true;
    }
    if (err !== 0) waiter?.reject(errorFromCode(err));
    else waiter?.resolve();
    return false;
  }

  /** Fails the waiters of credentials sent on the lost connection and of those not sent yet. */
  failAll(error: ZkError): void {
    const all = [...this.inFlight, ...this.queued];
    this.inFlight = [];
    this.queued = [];
    for (const w of all) w?.reject(error);
  }

  /** Fails the waiters of credentials not sent yet. */
  failQueued(error: ZkError): void {
    const queued = this.queued;
    this.queued = [];
    for (const w of queued) w.reject(error);
  }
}
