import { randomUUID } from 'node:crypto';

import { filter, firstValueFrom, timeout } from 'rxjs';

import type {
  ConnectionState,
  ConnectionStateEvent,
  FrameworkOptions,
  LostReason,
  ZkFramework,
} from '../src/index.js';
import { createFramework } from '../src/index.js';

/**
 * One transport the framework's guarantees are checked on. Where a transport knowingly behaves differently,
 * the difference is data here, with its reason, read by the one shared test (never a forked test).
 */
export interface FrameworkTransport {
  /** The framework's `transport` option, also the label in test names. */
  readonly name: 'native' | 'wire';
  /**
   * What a `lost` after a partition longer than the session timeout may give as its reason. The framework's
   * lease check names `timeout`; the wire client also runs its own expiry clock from the same last-heard
   * time, and whichever fires first names the reason. The native client never expires on its own clock.
   */
  readonly lostReasonsAfterPartition: readonly LostReason[];
}

/** Every transport the framework's chaos tests run on. */
export const frameworkTransports: readonly FrameworkTransport[] = [
  { name: 'native', lostReasonsAfterPartition: ['timeout'] },
  { name: 'wire', lostReasonsAfterPartition: ['timeout', 'expired'] },
];

/** A unique namespace for one test. */
export function uniqueNamespace(): string {
  return `t-${randomUUID()}`;
}

/** Starts a framework and waits for its first connection. */
export async function startedFramework(options: FrameworkOptions): Promise<ZkFramework> {
  const zk = createFramework({ sessionTimeoutMs: 10_000, connectionTimeoutMs: 5_000, ...options });
  await zk.start();
  await zk.waitForConnection({ timeoutMs: 20_000 });
  return zk;
}

/** Collects the states posted on `connectionState$` from now on (the replayed one excluded). */
export function recordStates(zk: ZkFramework): {
  events: ConnectionStateEvent[];
  states: () => ConnectionState[];
  stop: () => void;
} {
  const events: ConnectionStateEvent[] = [];
  let first = zk.connectionState !== undefined;
  const sub = zk.connectionState$.subscribe((e) => {
    if (first) {
      first = false;
      return;
    }
    events.push(e);
  });
  return { events, states: () => events.map((e) => e.state), stop: () => sub.unsubscribe() };
}

/** Resolves with the next event in `state` (bounded wait), optionally matching `where`. */
export function nextState(
  zk: ZkFramework,
  state: ConnectionState,
  where: (event: ConnectionStateEvent) => boolean = () => true,
  timeoutMs = 30_000,
): Promise<ConnectionStateEvent> {
  let first = zk.connectionState !== undefined;
  return firstValueFrom(
    zk.connectionState$.pipe(
      filter((e) => {
        // Skip the replayed current state: we want the NEXT one.
        if (first) {
          first = false;
          return false;
        }
        return e.state === state && where(e);
      }),
      timeout(timeoutMs),
    ),
  );
}

/** Resolves with the next `reconnected` event on a new session. */
export function nextNewSession(zk: ZkFramework): Promise<ConnectionStateEvent> {
  return nextState(zk, 'reconnected', (e) => e.state === 'reconnected' && e.sessionChanged);
}
