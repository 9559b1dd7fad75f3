import { InvalidArgumentError, InvalidPathError } from '@zookit/client';
import { isConnectedState, isErrorState } from '@zookit/framework';
import type { ConnectionStateEvent, ErrorPolicy, ZkFramework } from '@zookit/framework';
import { BehaviorSubject, ReplaySubject } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

import {
  HolderGuard,
  localAddress,
  parseRecipeOptions,
  SessionReconciler,
} from '@zookit/framework/recipe-kit';
import type { HolderGuardReason } from '@zookit/framework/recipe-kit';
import { checkRecipePath } from '../src/internal/options.js';
import { waitForTrue } from '../src/internal/wait-for-true.js';
import { LeadershipTimeoutError, RecipeStateError } from '../src/index.js';

/**
 * Only the connection-state surface of a framework, driven by the test: the recipe kit's HolderGuard is a
 * function of the states it sees and of the clock, so no ZooKeeper behaviour is imitated.
 */
function scriptedFramework(policy: ErrorPolicy): {
  framework: ZkFramework;
  states: ReplaySubject<ConnectionStateEvent>;
} {
  const states = new ReplaySubject<ConnectionStateEvent>(1);
  let current: ConnectionStateEvent | undefined;
  let sessionId: bigint | undefined;
  states.subscribe((e) => {
    current = e;
    if (isConnectedState(e.state)) sessionId = e.sessionId;
  });
  const framework = {
    connectionState$: states.asObservable(),
    get connectionState() {
      return current;
    },
    get sessionId() {
      return sessionId;
    },
    isErrorState: (e: ConnectionStateEvent) => isErrorState(policy, e.state),
    isConnected: () => current !== undefined && isConnectedState(current.state),
  } as unknown as ZkFramework;
  return { framework, states };
}

const suspendedUntil = (leaseDeadline: number): ConnectionStateEvent => ({
  state: 'suspended',
  sessionId: 1n,
  lastHeardAt: 0,
  leaseDeadline,
  at: performance.now(),
});
const connected = (sessionId: bigint): ConnectionStateEvent => ({
  state: 'connected',
  sessionId,
  negotiatedTimeoutMs: 4000,
  at: 0,
});
const lost: ConnectionStateEvent = { state: 'lost', sessionId: 1n, reason: 'timeout', at: 0 };
const reconnected: ConnectionStateEvent = {
  state: 'reconnected',
  sessionId: 1n,
  previousSessionId: 1n,
  sessionChanged: false,
  negotiatedTimeoutMs: 4000,
  at: 0,
};

afterEach(() => {
  vi.useRealTimers();
});

describe('waitForTrue', () => {
  it('resolves at once on a replayed true, later on a true emission', async () => {
    await expect(waitForTrue(new BehaviorSubject(true), '/p', {})).resolves.toBeUndefined();
    const subject = new BehaviorSubject(false);
    const waiting = waitForTrue(subject, '/p', { timeoutMs: 10_000 });
    subject.next(false);
    subject.next(true);
    await expect(waiting).resolves.toBeUndefined();
    expect(subject.observed).toBe(false); // unsubscribed
  });

  it('rejects with LeadershipTimeoutError, the abort reason, or RecipeStateError on completion', async () => {
    vi.useFakeTimers();
    const subject = new BehaviorSubject(false);
    const timed = waitForTrue(subject, '/election', { timeoutMs: 250 });
    vi.advanceTimersByTime(250);
    await expect(timed).rejects.toBeInstanceOf(LeadershipTimeoutError);
    await expect(timed).rejects.toMatchObject({
      timeoutMs: 250,
      path: '/election',
      code: 'LEADERSHIP_TIMEOUT',
    });

    const controller = new AbortController();
    const aborted = waitForTrue(subject, '/p', { signal: controller.signal });
    controller.abort(new Error('go away'));
    await expect(aborted).rejects.toThrow('go away');
    await expect(waitForTrue(subject, '/p', { signal: controller.signal })).rejects.toThrow(
      'go away',
    );

    const closing = waitForTrue(subject, '/p', {});
    subject.complete();
    await expect(closing).rejects.toBeInstanceOf(RecipeStateError);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('HolderGuard (recipe kit)', () => {
  function guarded(policy: ErrorPolicy, options: { once?: boolean; sessionId?: bigint } = {}) {
    const { framework, states } = scriptedFramework(policy);
    const fired: HolderGuardReason[] = [];
    const guard = new HolderGuard(framework, { ...options, onTrouble: (r) => fired.push(r) });
    return { framework, states, fired, guard };
  }

  it("under the session policy, fires leaseExpired at the suspended event's lease deadline, once", () => {
    vi.useFakeTimers();
    const { states, fired, guard } = guarded('session');
    states.next(connected(1n));
    guard.start();
    expect(guard.trusted()).toBe(true);
    states.next(suspendedUntil(performance.now() + 3600));
    expect(guard.trusted()).toBe(true); // tolerated until the deadline
    vi.advanceTimersByTime(3599);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['leaseExpired']);
    expect(guard.reason).toBe('leaseExpired');
    expect(guard.trusted()).toBe(false);
    states.next(lost); // a once-guard has stopped: what it guarded stays lost
    expect(fired).toEqual(['leaseExpired']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a reconnection before the deadline cancels it; completion of the states means the framework closed', () => {
    vi.useFakeTimers();
    const { states, fired, guard } = guarded('session');
    guard.start();
    states.next(suspendedUntil(performance.now() + 3600));
    vi.advanceTimersByTime(1000);
    states.next(reconnected);
    vi.advanceTimersByTime(10_000);
    expect(fired).toEqual([]);
    states.complete();
    expect(fired).toEqual(['closed']);
    guard.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('under the standard policy suspended fires at once (no timer); after stop() nothing fires', () => {
    vi.useFakeTimers();
    const { states, fired, guard } = guarded('standard');
    guard.start();
    states.next(suspendedUntil(performance.now() + 3600));
    expect(fired).toEqual(['suspended']);
    expect(vi.getTimerCount()).toBe(0);
    const second = guarded('standard');
    second.guard.start();
    second.guard.stop();
    second.states.next(suspendedUntil(performance.now() + 3600));
    second.states.complete();
    expect(second.fired).toEqual([]);
  });

  it('fires during start() on a replayed error state, and never subscribes for good', () => {
    const { states, fired, guard } = guarded('standard');
    states.next(lost);
    guard.start();
    expect(fired).toEqual(['lost']);
    guard.start(); // ignored once stopped
    expect(fired).toEqual(['lost']);
  });

  it('with once: false reports every sign of trouble, and a connection on another session', () => {
    vi.useFakeTimers();
    const { states, fired, guard } = guarded('session', { once: false, sessionId: 1n });
    states.next(connected(1n));
    guard.start();
    states.next(suspendedUntil(performance.now() + 100));
    vi.advanceTimersByTime(100);
    expect(guard.trusted()).toBe(false); // past the lease deadline
    states.next(lost);
    states.next(connected(2n));
    expect(fired).toEqual(['leaseExpired', 'lost', 'sessionChanged']);
    expect(guard.reason).toBe('leaseExpired');
    expect(guard.trusted()).toBe(false); // connected, but not on the holding session
    guard.stop();
    states.next(lost);
    expect(fired).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('SessionReconciler invalidation through the HolderGuard', () => {
  it('invalidates on every sign of trouble (no once), and with closed when the framework closes', async () => {
    vi.useFakeTimers();
    const scripted = scriptedFramework('session');
    const log: string[] = [];
    const reconciler = new SessionReconciler(scripted.framework, {
      invalidate: (reason, event) => log.push(`${reason}:${event?.state ?? '-'}`),
      reconcile: () => Promise.resolve(),
      onError: (e) => log.push(`error:${String(e)}`),
    });
    reconciler.start();
    scripted.states.next(suspendedUntil(performance.now() + 500));
    vi.advanceTimersByTime(500);
    scripted.states.next(lost);
    scripted.states.complete();
    expect(log).toEqual(['leaseExpired:suspended', 'lost:lost', 'closed:-']);
    await reconciler.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('options', () => {
  it('names the offending field', () => {
    const schema = z.strictObject({ nested: z.strictObject({ n: z.number() }).optional() });
    const error = (() => {
      try {
        return parseRecipeOptions('Recipe', schema, { nested: { n: 'x' } });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ field: 'nested.n' });
    expect(parseRecipeOptions('Recipe', schema, undefined)).toEqual({});
  });

  it('checks recipe paths and gives an IPv4 local address', () => {
    expect(checkRecipePath('/a/b')).toBe('/a/b');
    expect(() => checkRecipePath('/a/')).toThrow(InvalidPathError);
    expect(() => checkRecipePath(42)).toThrow(InvalidPathError);
    expect(() => checkRecipePath('/')).toThrow(InvalidArgumentError);
    expect(localAddress()).toMatch(/^\d{1,3}(\.\d{1,3}){3}$/);
  });
});
