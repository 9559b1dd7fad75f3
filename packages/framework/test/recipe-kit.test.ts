import { ConnectionLossError, NoNodeError } from '@zookit/client';
import { RetryNTimes } from '@zookit/retry';
import { ReplaySubject } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { isConnectedState } from '../src/connection/connection-state.js';
import type { ConnectionStateEvent } from '../src/connection/connection-state.js';
import { isErrorState } from '../src/connection/error-policy.js';
import type { ErrorPolicy } from '../src/connection/error-policy.js';
import { RecipeStateError } from '../src/index.js';
import type { ZkFramework } from '../src/index.js';
import {
  RecipeLifecycle,
  SequentialContenders,
  SessionReconciler,
  WatcherScope,
} from '../src/recipe-kit/index.js';
import type { ReconcileContext } from '../src/recipe-kit/index.js';

/**
 * Only the connection-state surface of a framework, driven by the test: the recipe kit's session logic is
 * a function of the states it sees, so no ZooKeeper behaviour is imitated here.
 */
class ScriptedConnection {
  readonly subject = new ReplaySubject<ConnectionStateEvent>(1);
  current: ConnectionStateEvent | undefined;
  sessionId: bigint | undefined;
  readonly errorPolicy: ErrorPolicy;
  constructor(errorPolicy: ErrorPolicy = 'standard') {
    this.errorPolicy = errorPolicy;
  }
  post(event: ConnectionStateEvent): void {
    this.current = event;
    if (event.state !== 'lost' && event.state !== 'suspended') this.sessionId = event.sessionId;
    this.subject.next(event);
  }
  get framework(): ZkFramework {
    const self = this; // eslint-disable-line @typescript-eslint/no-this-alias
    return {
      get connectionState$() {
        return self.subject.asObservable();
      },
      get sessionId() {
        return self.sessionId;
      },
      retryPolicy: new RetryNTimes({ maxRetries: 2, sleepMs: 0 }),
      isErrorState: (e: ConnectionStateEvent) => isErrorState(self.errorPolicy, e.state),
      isConnected: () => self.current !== undefined && isConnectedState(self.current.state),
      waitForConnection: async ({ signal }: { signal?: AbortSignal }) => {
        while (self.current === undefined || !isConnectedState(self.current.state)) {
          signal?.throwIfAborted();
          await new Promise((r) => setImmediate(r));
        }
      },
    } as unknown as ZkFramework;
  }
}

const at = 0;
const connected = (sessionId: bigint): ConnectionStateEvent => ({
  state: 'connected',
  sessionId,
  negotiatedTimeoutMs: 4000,
  at,
});
const suspended = (sessionId: bigint): ConnectionStateEvent => ({
  state: 'suspended',
  sessionId,
  lastHeardAt: 0,
  leaseDeadline: 3600,
  at,
});
const lost = (sessionId: bigint): ConnectionStateEvent => ({
  state: 'lost',
  sessionId,
  reason: 'timeout',
  at,
});
const reconnected = (sessionId: bigint, previous: bigint): ConnectionStateEvent => ({
  state: 'reconnected',
  sessionId,
  previousSessionId: previous,
  sessionChanged: sessionId !== previous,
  negotiatedTimeoutMs: 4000,
  at,
});

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('RecipeLifecycle', () => {
  it('guards latent → started → closed and runs disposers in reverse, once', async () => {
    const errors: unknown[] = [];
    const life = new RecipeLifecycle('Test', (e) => errors.push(e));
    expect(life.state).toBe('latent');
    expect(() => life.assertStarted('read')).toThrow(RecipeStateError);
    life.start();
    expect(() => life.start()).toThrow(RecipeStateError);
    const order: string[] = [];
    life.defer(() => void order.push('first'));
    life.defer(() => {
      order.push('second');
      throw new Error('boom');
    });
    life.defer(async () => {
      await Promise.resolve();
      order.push('third');
    });
    await Promise.all([life.close(), life.close()]);
    expect(order).toEqual(['third', 'second', 'first']);
    expect(errors).toHaveLength(1);
    expect(life.closeSignal.aborted).toBe(true);
    expect(life.closeSignal.reason).toBeInstanceOf(RecipeStateError);
    expect(() => life.start()).toThrow(RecipeStateError);
    life.defer(() => void order.push('late'));
    await Promise.resolve();
    expect(order.at(-1)).toBe('late');
  });

  it('startWhenConnected waits for a connection, and is skipped by close', async () => {
    const conn = new ScriptedConnection();
    const life = new RecipeLifecycle('Test', () => undefined);
    let ran = 0;
    const waiting = life.startWhenConnected(conn.framework, () => void ran++);
    await new Promise((r) => setImmediate(r));
    expect(ran).toBe(0);
    conn.post(connected(1n));
    await waiting;
    expect(ran).toBe(1);

    const other = new RecipeLifecycle('Other', () => undefined);
    const conn2 = new ScriptedConnection();
    const skipped = other.startWhenConnected(conn2.framework, () => void ran++);
    await other.close();
    await skipped;
    expect(ran).toBe(1);
  });
});

describe('WatcherScope', () => {
  it('ignores callbacks after invalidate, after close, and after the session changed', () => {
    const conn = new ScriptedConnection();
    conn.post(connected(1n));
    const scope = new WatcherScope(conn.framework);
    const seen: string[] = [];
    const w1 = scope.wrap((e) => seen.push(`w1:${e.path}`));
    w1({ type: 'deleted', path: '/a' });
    scope.invalidate();
    w1({ type: 'deleted', path: '/b' });
    const w2 = scope.wrap((e) => seen.push(`w2:${e.path}`));
    conn.post(lost(1n));
    conn.post(reconnected(2n, 1n));
    w2({ type: 'deleted', path: '/c' }); // set on session 1, fires on session 2: stale
    const w3 = scope.wrap((e) => seen.push(`w3:${e.path}`));
    w3({ type: 'deleted', path: '/d' });
    scope.close();
    w3({ type: 'deleted', path: '/e' });
    expect(seen).toEqual(['w1:/a', 'w3:/d']);
    expect(scope.isClosed).toBe(true);
  });
});

describe('SessionReconciler', () => {
  it('reconciles after the first connection, invalidates on error states, reconciles a new session', async () => {
    const conn = new ScriptedConnection('standard');
    const log: string[] = [];
    const r = new SessionReconciler(conn.framework, {
      invalidate: (reason) => log.push(`invalidate:${reason}`),
      reconcile: ({ reason, sessionId }) => {
        log.push(`reconcile:${reason}:${String(sessionId)}`);
        return Promise.resolve();
      },
      onError: (e) => log.push(`error:${String(e)}`),
    });
    r.start();
    expect(log).toEqual([]);
    conn.post(connected(1n));
    await r.whenIdle();
    conn.post(suspended(1n));
    conn.post(reconnected(1n, 1n)); // same session: no run unless opted in
    await r.whenIdle();
    conn.post(suspended(1n));
    conn.post(lost(1n));
    conn.post(reconnected(2n, 1n));
    await r.whenIdle();
    expect(log).toEqual([
      'reconcile:initial:1',
      'invalidate:suspended',
      'invalidate:suspended',
      'invalidate:lost',
      'reconcile:sessionReplaced:2',
    ]);
    await r.close();
  });

  it('under the session policy only lost invalidates; reconcileOnReconnect runs on every reconnect', async () => {
    const conn = new ScriptedConnection('session');
    conn.post(connected(1n));
    const log: string[] = [];
    const r = new SessionReconciler(conn.framework, {
      invalidate: (reason) => log.push(`invalidate:${reason}`),
      reconcile: ({ reason }) => {
        log.push(reason);
        return Promise.resolve();
      },
      onError: () => undefined,
      reconcileOnReconnect: true,
    });
    r.start(); // replayed 'connected' → initial run
    await r.whenIdle();
    conn.post(suspended(1n));
    conn.post(reconnected(1n, 1n));
    await r.whenIdle();
    expect(log).toEqual(['initial', 'reconnected']);
    await r.close();
  });

  it('is single-flight and coalesces triggers that arrive during a run into exactly one more run', async () => {
    const conn = new ScriptedConnection();
    conn.post(connected(1n));
    const gate = deferred();
    let concurrent = 0;
    let maxConcurrent = 0;
    const reasons: string[] = [];
    const r = new SessionReconciler(conn.framework, {
      invalidate: () => undefined,
      reconcile: async ({ reason }) => {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        reasons.push(reason);
        if (reasons.length === 1) await gate.promise;
        concurrent--;
      },
      onError: () => undefined,
    });
    r.start();
    r.trigger('watchFired');
    r.trigger('manual');
    r.trigger('watchFired');
    gate.resolve();
    await r.whenIdle();
    expect(reasons).toEqual(['initial', 'watchFired']);
    expect(maxConcurrent).toBe(1);
    expect(r.runs).toBe(2);
    await r.close();
  });

  it('retries a failing run under the policy and reports the final failure to onError', async () => {
    const conn = new ScriptedConnection();
    conn.post(connected(1n));
    let attempts = 0;
    const errors: unknown[] = [];
    const r = new SessionReconciler(conn.framework, {
      invalidate: () => undefined,
      reconcile: () => {
        attempts++;
        return Promise.reject(
          attempts < 3 ? new ConnectionLossError() : new NoNodeError({ path: '/x' }),
        );
      },
      onError: (e) => errors.push(e),
    });
    r.start();
    await r.whenIdle();
    expect(attempts).toBe(3);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(NoNodeError);
    await r.close();
  });

  it('aborts a run on lost and runs again on the new session; close aborts and stops', async () => {
    const conn = new ScriptedConnection();
    conn.post(connected(1n));
    const contexts: ReconcileContext[] = [];
    const r = new SessionReconciler(conn.framework, {
      invalidate: () => undefined,
      reconcile: (ctx) => {
        contexts.push(ctx);
        return new Promise((_, reject) =>
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error)),
        );
      },
      onError: () => undefined,
    });
    r.start();
    await new Promise((res) => setImmediate(res));
    conn.post(suspended(1n));
    conn.post(lost(1n));
    expect(contexts[0]?.signal.aborted).toBe(true);
    conn.post(reconnected(2n, 1n));
    await new Promise((res) => setImmediate(res));
    expect(contexts.map((c) => [c.reason, c.sessionId])).toEqual([
      ['initial', 1n],
      ['sessionReplaced', 2n],
    ]);
    await r.close();
    expect(contexts[1]?.signal.aborted).toBe(true);
    r.trigger('manual');
    await r.whenIdle();
    expect(contexts).toHaveLength(2);
  });

  it('holds a trigger made while disconnected until the connection is back', async () => {
    const conn = new ScriptedConnection('session');
    conn.post(connected(1n));
    const reasons: string[] = [];
    const r = new SessionReconciler(conn.framework, {
      invalidate: () => undefined,
      reconcile: ({ reason }) => {
        reasons.push(reason);
        return Promise.resolve();
      },
      onError: () => undefined,
    });
    r.start();
    await r.whenIdle();
    conn.post(suspended(1n));
    r.trigger('watchFired');
    await r.whenIdle();
    expect(reasons).toEqual(['initial']);
    conn.post(reconnected(1n, 1n));
    await r.whenIdle();
    expect(reasons).toEqual(['initial', 'watchFired']);
    await r.close();
  });
});

describe('SessionReconciler lease deadline under the session policy', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('invalidates at the lease deadline if still suspended, then again on lost', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const conn = new ScriptedConnection('session');
    conn.post(connected(1n));
    const log: string[] = [];
    const r = new SessionReconciler(conn.framework, {
      invalidate: (reason) => log.push(reason),
      reconcile: () => Promise.resolve(),
      onError: () => undefined,
    });
    r.start();
    const now = performance.now();
    conn.post({
      state: 'suspended',
      sessionId: 1n,
      lastHeardAt: now - 1000,
      leaseDeadline: now + 2600,
      at: now,
    });
    vi.advanceTimersByTime(2599);
    expect(log).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(log).toEqual(['leaseExpired']);
    conn.post(lost(1n));
    expect(log).toEqual(['leaseExpired', 'lost']);
    void r.close();
  });

  it('a reconnect before the deadline cancels it; the standard policy invalidates at suspended already', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    for (const policy of ['session', 'standard'] as const) {
      const conn = new ScriptedConnection(policy);
      conn.post(connected(1n));
      const log: string[] = [];
      const r = new SessionReconciler(conn.framework, {
        invalidate: (reason) => log.push(reason),
        reconcile: () => Promise.resolve(),
        onError: () => undefined,
      });
      r.start();
      const now = performance.now();
      conn.post({
        state: 'suspended',
        sessionId: 1n,
        lastHeardAt: now,
        leaseDeadline: now + 3600,
        at: now,
      });
      vi.advanceTimersByTime(1000);
      conn.post(reconnected(1n, 1n));
      vi.advanceTimersByTime(10_000);
      expect(log).toEqual(policy === 'session' ? [] : ['suspended']);
      void r.close();
    }
  });
});

describe('SequentialContenders positions', () => {
  const contenders = new SequentialContenders({} as ZkFramework, '/locks', 'lock-', {
    maxLeases: 2,
  });

  it('finds our index, holder status and the predecessor maxLeases back', () => {
    const sorted = ['a-lock-01', 'b-lock-02', 'c-lock-03', 'd-lock-04'];
    expect(contenders.position(sorted, 'b-lock-02')).toMatchObject({
      ourIndex: 1,
      isHolder: true,
      predecessor: undefined,
    });
    expect(contenders.position(sorted, 'd-lock-04')).toMatchObject({
      ourIndex: 3,
      isHolder: false,
      predecessor: 'b-lock-02',
    });
  });

  it('throws NoNodeError when our node is missing, and rejects bad maxLeases', () => {
    expect(() => contenders.position(['x'], 'y')).toThrow(NoNodeError);
    expect(
      () => new SequentialContenders({} as ZkFramework, '/l', 'lock-', { maxLeases: 0 }),
    ).toThrow(/maxLeases/);
  });
});
