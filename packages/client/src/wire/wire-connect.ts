import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { HostAddress } from '../connect-string.js';
import { ClientClosedError, ConnectTimeoutError, InvalidArgumentError } from '../errors.js';
import type { ConnectOptions } from '../zk-client.js';
import type { WireSession } from './wire-session.js';

/** What {@link connectWireSession} needs besides the session. */
export interface WireConnectTarget {
  readonly hosts: readonly HostAddress[];
  readonly connectString: string;
  readonly connectTimeoutMs: number;
  /** Releases the session when the first connection is cut short (timeout or abort). */
  readonly close: () => Promise<void>;
}

/** Like Java's `StaticHostProvider`: a connect string none of whose hosts resolves is an argument error. */
async function checkHostsResolve(target: WireConnectTarget): Promise<void> {
  const results = await Promise.allSettled(
    target.hosts.map(async (h) => (isIP(h.host) === 0 ? (await lookup(h.host)).address : h.host)),
  );
  const failed = results.find((r) => r.status === 'rejected');
  if (failed === undefined || results.some((r) => r.status === 'fulfilled')) return;
  throw new InvalidArgumentError('connectString', `no host of ${target.connectString} resolves`, {
    cause: failed.reason,
  });
}

/**
 * The first connection of a wire session: checks that some host resolves, starts the session and waits
 * for `connected`, bounded by `connectTimeoutMs` (`ConnectTimeoutError`) and the abort signal
 * (`ClientClosedError`); a wait cut short closes the session.
 *
 * @example
 * ```ts
 * await connectWireSession(session, { hosts, connectString, connectTimeoutMs: 15_000, close }, {});
 * ```
 */
export async function connectWireSession(
  session: WireSession,
  target: WireConnectTarget,
  { signal }: ConnectOptions,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ConnectTimeoutError(target.connectTimeoutMs, target.connectString)),
      target.connectTimeoutMs,
    );
    onAbort = () => reject(new ClientClosedError({ cause: signal?.reason }));
    if (signal?.aborted === true) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([checkHostsResolve(target), stop]);
    session.start();
    await Promise.race([session.whenConnected(), stop]);
  } catch (e) {
    // An expired or refused session is already final (and released); only a wait cut short needs closing.
    const state = session.state;
    if (state !== 'expired' && state !== 'authFailed') await target.close();
    throw e;
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  }
}
