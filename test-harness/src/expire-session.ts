import { InvalidArgumentError, parseConnectString, type ZkClient } from '@zookit/client';
import { handshake } from './mini-zk-client.js';
import { decodeReply, encodeConnectRequest, encodeRequest, OpCode } from './zk-protocol.js';
import { scaledMs } from './timing.js';

/**
 * What {@link expireSession} needs to know about the victim.
 *
 * @example
 * ```ts
 * const options: ExpireSessionOptions = { connectString, sessionId, sessionPassword, timeoutMs: 10_000 };
 * ```
 */
export interface ExpireSessionOptions {
  /** Any server of the victim's ensemble (a chroot suffix is ignored). */
  readonly connectString: string;
  readonly sessionId: bigint;
  /** The session's 16-byte password (e.g. `client.sessionPassword`). */
  readonly sessionPassword: Buffer;
  /** Give up after this long. Default `scaledMs(30_000)`. */
  readonly timeoutMs?: number;
  /**
   * The victim's client: when given, also wait (within `timeoutMs`) until it reports `expired`, which
   * happens on its next contact with the server.
   */
  readonly victim?: Pick<ZkClient, 'state' | 'onSessionEvent'>;
}

/**
 * What happened, for assertions and logs.
 *
 * @example
 * ```ts
 * const { wasAlive } = await expireSession(options);
 * ```
 */
export interface ExpireSessionResult {
  /** closeSession requests sent (more than 1 when the victim took the session back in between). */
  readonly closeRequests: number;
  /** False when the very first handshake was already refused: the session was dead before the call. */
  readonly wasAlive: boolean;
}

type Attempt = { refused: true } | { refused: false; closed: boolean };

async function attempt(
  host: string,
  port: number,
  options: ExpireSessionOptions,
  timeoutMs: number,
): Promise<Attempt> {
  const request = encodeConnectRequest({
    timeoutMs: 30_000,
    sessionId: options.sessionId,
    password: options.sessionPassword,
  });
  const { socket, response, decoder, rest } = await handshake(host, port, request, timeoutMs);
  if (response.timeoutMs <= 0) {
    socket.destroy();
    return { refused: true };
  }
  // The closeSession reply comes only after the server has applied the close (ephemerals deleted).
  return new Promise<Attempt>((resolve) => {
    const timer = setTimeout(() => finish(false), timeoutMs);
    function finish(closed: boolean): void {
      clearTimeout(timer);
      socket.destroy();
      resolve({ refused: false, closed });
    }
    const onFrames = (frames: Buffer[]): void => {
      for (const body of frames) {
        const { header } = decodeReply(body);
        if (header.xid === 1) finish(header.err === 0);
      }
    };
    socket.on('data', (chunk: Buffer) => onFrames(decoder.push(chunk)));
    // The victim's reconnect takes the session back and the server closes this connection: try again.
    socket.on('close', () => finish(false));
    socket.on('error', () => finish(false));
    onFrames(rest);
    socket.write(encodeRequest(1, OpCode.closeSession));
  });
}

function victimExpired(
  victim: Pick<ZkClient, 'state' | 'onSessionEvent'>,
  timeoutMs: number,
): Promise<void> {
  if (victim.state === 'expired') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => {
        unsubscribe();
        reject(
          new Error(`the server expired the session but the victim still says "${victim.state}"`),
        );
      },
      Math.max(0, timeoutMs),
    );
    const unsubscribe = victim.onSessionEvent((event) => {
      if (event.type !== 'expired') return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
    // It may have expired between the first check and the subscription.
    if (victim.state === 'expired') {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
  });
}

/**
 * Expires a live session the classic way: opens a second connection with the victim's session id and
 * password, sends `closeSession`, then reconnects with the same credentials until the server refuses the
 * handshake (`timeOut = 0`). That refusal is the server's own statement that the session is gone, so the
 * promise resolves only once expiry is certain (its ephemerals deleted). No native binding is involved:
 * the handshake and the close are a few bytes of jute over `node:net`.
 *
 * The victim learns of it on its next contact with the server: the duplicate's handshake makes the
 * server drop the victim's connection, and the victim's reconnect is refused with "session expired".
 * A wrong password also gets the handshake refused, so give the password the victim really has. Pass
 * `victim` to also wait until the victim's client reports `expired`.
 *
 * @example
 * ```ts
 * await expireSession({ connectString: ensemble.connectString, sessionId: client.sessionId!, sessionPassword: client.sessionPassword! });
 * ```
 */
export async function expireSession(options: ExpireSessionOptions): Promise<ExpireSessionResult> {
  if (typeof options.sessionId !== 'bigint' || options.sessionId === 0n) {
    throw new InvalidArgumentError('sessionId', 'must be a non-zero bigint');
  }
  if (!Buffer.isBuffer(options.sessionPassword) || options.sessionPassword.length !== 16) {
    throw new InvalidArgumentError('sessionPassword', 'must be a 16-byte Buffer');
  }
  const timeoutMs = options.timeoutMs ?? scaledMs(30_000);
  const deadline = Date.now() + timeoutMs;
  const { hosts } = parseConnectString(options.connectString);
  let closeRequests = 0;
  let lastError: unknown;
  for (let round = 0; Date.now() < deadline; round++) {
    for (const { host, port } of hosts) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      try {
        const outcome = await attempt(host, port, options, Math.min(left, 5_000));
        if (outcome.refused) {
          if (options.victim !== undefined)
            await victimExpired(options.victim, deadline - Date.now());
          return { closeRequests, wasAlive: closeRequests > 0 };
        }
        closeRequests++;
        // Verify on the same server: loop back to it first.
        break;
      } catch (error) {
        lastError = error;
      }
    }
    if (lastError !== undefined && round > 0)
      await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`session 0x${options.sessionId.toString(16)} still alive after ${timeoutMs} ms`, {
    cause: lastError,
  });
}
