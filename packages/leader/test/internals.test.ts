import { InvalidArgumentError, InvalidPathError } from '@zookit/client';
import { isConnectedState, isErrorState } from '@zookit/framework';
import type { ConnectionStateEvent, ErrorPolicy, ZkFramework } from '@zookit/framework';
import { BehaviorSubject, ReplaySubject } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

import { LeaseGuard } from '../src/internal/lease-guard.js';
import type { LeaseGuardReason } from '../src/internal/lease-guard.js';
import { checkRecipePath, localAddress, parseOptions } from '../src/internal/options.js';
import { waitForTrue } from '../src/internal/wait-for-true.js';
import { LeadershipTimeoutError, RecipeStateError } from '../src/index.js';

/**
 * Only the connection-state surface of a framework, driven by the test: LeaseGuard is a function of the
 * states it sees and of the clock, so no ZooKeeper behaviour is imitated.
 */
function scriptedFramework(policy: ErrorPolicy): { framework: ZkFramework; states: ReplaySubject<ConnectionStateEvent> } {
  const states = new ReplaySubject<ConnectionStateEvent>(1);
  const framework = {
    connectionState$: states.asObservable(),
    isErrorState: (e: ConnectionStateEvent) => isErrorState(policy, e.state),
    isConnected: () => false,
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
    await expect(timed).rejects.toMatchObject({ timeoutMs: 250, path: '/election', code: 'LEADERSHIP_TIMEOUT' });

    const controller = new AbortController();
    const aborted = waitForTrue(subject, '/p', { signal: controller.signal });
    controller.abort(new Error('go away'));
    await expect(aborted).rejects.toThrow('go away');
    await expect(waitForTrue(subject, '/p', { signal: controller.signal })).rejects.toThrow('go away');

    const closing = waitForTrue(subject, '/p', {});
    subject.complete();
    await expect(closing).rejects.toBeInstanceOf(RecipeStateError);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('LeaseGuard', () => {
  it('under the session policy, fires at the suspended event\'s lease deadline', () => {
    vi.useFakeTimers();
    const { framework, states } = scriptedFramework('session');
    const fired: LeaseGuardReason[] = [];
    const guard = new LeaseGuard(framework, (r) => fired.push(r));
    guard.start();
    states.next(suspendedUntil(performance.now() + 3600));
    vi.advanceTimersByTime(3599);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['leaseExpired']);
    guard.stop();
  });

  it('a reconnection before the deadline cancels it; completion of the states means the framework closed', () => {
    vi.useFakeTimers();
    const { framework, states } = scriptedFramework('session');
    const fired: LeaseGuardReason[] = [];
    const guard = new LeaseGuard(framework, (r) => fired.push(r));
    guard.start();
    states.next(suspendedUntil(performance.now() + 3600));
    vi.advanceTimersByTime(1000);
    states.next(reconnected);
    vi.advanceTimersByTime(10_000);
    expect(fired).toEqual([]);
    states.complete();
    expect(fired).toEqual(['frameworkClosed']);
    guard.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('under the standard policy it leaves suspended to the reconciler (already an error state)', () => {
    vi.useFakeTimers();
    const { framework, states } = scriptedFramework('standard');
    const fired: LeaseGuardReason[] = [];
    const guard = new LeaseGuard(framework, (r) => fired.push(r));
    guard.start();
    states.next(suspendedUntil(performance.now() + 3600));
    expect(vi.getTimerCount()).toBe(0);
    guard.stop();
    states.complete(); // after stop: silent
    expect(fired).toEqual([]);
    expect(isConnectedState('reconnected')).toBe(true);
  });
});

describe('options', () => {
  it('names the offending field', () => {
    const schema = z.strictObject({ nested: z.strictObject({ n: z.number() }).optional() });
    const error = (() => {
      try {
        return parseOptions('Recipe', schema, { nested: { n: 'x' } });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ field: 'nested.n' });
    expect(parseOptions('Recipe', schema, undefined)).toEqual({});
  });

  it('checks recipe paths and gives an IPv4 local address', () => {
    expect(checkRecipePath('/a/b')).toBe('/a/b');
    expect(() => checkRecipePath('/a/')).toThrow(InvalidPathError);
    expect(() => checkRecipePath(42)).toThrow(InvalidPathError);
    expect(() => checkRecipePath('/')).toThrow(InvalidArgumentError);
    expect(localAddress()).toMatch(/^\d{1,3}(\.\d{1,3}){3}$/);
  });
});
