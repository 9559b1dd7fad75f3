import { RetryNTimes } from '@zookit/retry';
import { ChaosSetup, expireSession } from '@zookit/test-harness';
import type { FaultProxy } from '@zookit/test-harness';
import type { ErrorPolicy, ZkFramework } from '@zookit/framework';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { InterProcessMutex, InterProcessSemaphoreV2, LockLostError } from '../src/index.js';
import type { LockHandle } from '../src/index.js';
import { startedFramework, uniqueNamespace, childrenOf } from './helpers.js';

const SESSION_TIMEOUT_MS = 4000;

const chaos = ChaosSetup.forSuite({ beforeAll, afterAll, afterEach });

/** A framework behind its own fault proxy, and a direct one on the same namespace. */
async function proxied(
  errorPolicy: ErrorPolicy = 'standard',
): Promise<{ zk: ZkFramework; proxy: FaultProxy; direct: ZkFramework }> {
  const namespace = uniqueNamespace();
  const { client: zk, proxy } = await chaos.proxied((connectString) =>
    startedFramework({
      connectString,
      namespace,
      errorPolicy,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      connectionTimeoutMs: 3000,
      retryPolicy: new RetryNTimes({ maxRetries: 10, sleepMs: 100 }),
    }),
  );
  const direct = await chaos.open(
    startedFramework({
      connectString: chaos.ensemble.connectString,
      namespace,
      sessionTimeoutMs: 10_000,
    }),
  );
  return { zk, proxy, direct };
}

function lostAt(lock: LockHandle): Promise<{ at: number; reason: unknown }> {
  return new Promise((resolve) =>
    lock.lost.addEventListener(
      'abort',
      () => resolve({ at: performance.now(), reason: lock.lost.reason }),
      { once: true },
    ),
  );
}

describe('a holder partitioned past the session timeout sees lost before anyone else acquires', () => {
  it.each([
    ['standard', 'suspended'],
    ['session', 'leaseDeadline'],
  ] as const)('error policy %s: lost (%s) fires first', async (policy, expectedReason) => {
    const { zk, proxy, direct } = await proxied(policy);
    const holder = await new InterProcessMutex(zk, '/locks/p').acquire();
    const lost = lostAt(holder);
    const waiting = new InterProcessMutex(direct, '/locks/p')
      .acquire({ timeoutMs: 60_000 })
      .then((lock) => ({ lock, at: performance.now() }));
    await vi.waitFor(async () => expect(await childrenOf(direct, '/locks/p')).toHaveLength(2), {
      timeout: 10_000,
    });
    proxy.partition();
    const other = await waiting;
    const { at, reason } = await lost;
    expect(reason).toBeInstanceOf(LockLostError);
    expect(reason).toMatchObject({ reason: expectedReason, path: holder.nodePath });
    expect(at).toBeLessThan(other.at);
    expect(other.lock.fencingToken > holder.fencingToken).toBe(true);
    proxy.heal();
    await holder.release(); // the stale holder's release must not touch the new holder's node
    expect(await direct.exists(other.lock.nodePath)).not.toBeNull();
    await other.lock.release();
    await vi.waitFor(async () => expect(await childrenOf(direct, '/locks/p')).toEqual([]), {
      timeout: 15_000,
    });
  });
});

describe('a short disconnect (same session comes back)', () => {
  it('standard policy: lost fires on suspended and stays fired; the lock is not silently re-acquired', async () => {
    const { zk, proxy, direct } = await proxied('standard');
    const holder = await new InterProcessMutex(zk, '/locks/s').acquire();
    const lost = lostAt(holder);
    const session = zk.sessionId;
    proxy.dropConnections();
    const { reason } = await lost;
    expect(reason).toMatchObject({ reason: 'suspended' });
    await vi.waitFor(() => expect(zk.connectionState?.state).toBe('reconnected'), {
      timeout: 15_000,
    });
    expect(zk.sessionId).toBe(session);
    expect(holder.lost.aborted).toBe(true); // never "un-lost"
    expect(await childrenOf(direct, '/locks/s')).toEqual([holder.nodePath.split('/').pop()]);
    await holder.release();
    expect(await childrenOf(direct, '/locks/s')).toEqual([]);
  });

  it('session policy: a short disconnect is tolerated (lost does not fire)', async () => {
    const { zk, proxy } = await proxied('session');
    const holder = await new InterProcessMutex(zk, '/locks/t').acquire();
    const session = zk.sessionId;
    const suspended = new Promise<void>((resolve) => {
      const stop = zk.onConnectionStateChange((e) => {
        if (e.state === 'suspended') {
          stop();
          resolve();
        }
      });
    });
    proxy.dropConnections();
    await suspended;
    await vi.waitFor(() => expect(zk.connectionState?.state).toBe('reconnected'), {
      timeout: 15_000,
    });
    expect(zk.sessionId).toBe(session);
    expect(holder.lost.aborted).toBe(false);
    await holder.release();
  });
});

describe('dropped replies', () => {
  it('a release whose delete reply is dropped leaves no lock node behind', async () => {
    const { zk, proxy, direct } = await proxied();
    const lock = await new InterProcessMutex(zk, '/locks/d').acquire();
    const dropped = proxy.dropNextReply();
    await lock.release();
    const reply = await dropped;
    expect(reply.opCode).toBe(2); // delete
    expect(reply.err).toBe(0); // applied on the server; its reply never arrived
    expect(await childrenOf(direct, '/locks/d')).toEqual([]);
  });

  it('an acquisition whose create reply is dropped ends with exactly one node (protected create)', async () => {
    const { zk, proxy, direct } = await proxied();
    await direct.create('/locks');
    await direct.create('/locks/c');
    expect(await childrenOf(zk, '/locks/c')).toEqual([]); // namespace set up: the next request is the create
    const dropped = proxy.dropNextReply();
    const lock = await new InterProcessMutex(zk, '/locks/c').acquire({ timeoutMs: 20_000 });
    expect([1, 15]).toContain((await dropped).opCode);
    const children = await childrenOf(direct, '/locks/c');
    expect(children.map((c) => `/locks/c/${c}`)).toEqual([lock.nodePath]);
    await lock.release();
    expect(await childrenOf(direct, '/locks/c')).toEqual([]);
  });

  it('a semaphore lease release with a dropped reply leaves no lease behind', async () => {
    const { zk, proxy, direct } = await proxied();
    const semaphore = new InterProcessSemaphoreV2(zk, '/sem/d', { maxLeases: 2 });
    const lease = await semaphore.acquire();
    const dropped = proxy.dropNextReply();
    await lease.release();
    expect((await dropped).opCode).toBe(2);
    expect(await childrenOf(direct, '/sem/d/leases')).toEqual([]);
    expect(await childrenOf(direct, '/sem/d/locks')).toEqual([]);
  });
});

describe('session expiry', () => {
  it('a waiter whose session expires re-creates its node on the new session and still acquires', async () => {
    const { zk, direct } = await proxied();
    const holder = await new InterProcessMutex(direct, '/locks/e').acquire();
    const waiting = new InterProcessMutex(zk, '/locks/e').acquire({ timeoutMs: 60_000 });
    await vi.waitFor(async () => expect(await childrenOf(direct, '/locks/e')).toHaveLength(2), {
      timeout: 10_000,
    });
    const before = zk.sessionId;
    const client = zk.client;
    if (client?.sessionId === undefined || client.sessionPassword === undefined)
      throw new Error('no session');
    await expireSession({
      connectString: chaos.ensemble.connectString,
      sessionId: client.sessionId,
      sessionPassword: client.sessionPassword,
    });
    await vi.waitFor(() => expect(zk.sessionId).not.toBe(before), { timeout: 20_000 });
    await vi.waitFor(async () => expect(await childrenOf(direct, '/locks/e')).toHaveLength(2), {
      timeout: 20_000,
    });
    await holder.release();
    const lock = await waiting;
    const { stat } = await direct.getData(lock.nodePath);
    expect(stat.ephemeralOwner).toBe(zk.sessionId);
    expect(lock.lost.aborted).toBe(false);
    await lock.release();
  });

  it('a holder whose session expires sees lost and is never silently re-acquired', async () => {
    const { zk, direct } = await proxied();
    const holder = await new InterProcessMutex(zk, '/locks/x').acquire();
    const lost = lostAt(holder);
    const client = zk.client;
    if (client?.sessionId === undefined || client.sessionPassword === undefined)
      throw new Error('no session');
    await expireSession({
      connectString: chaos.ensemble.connectString,
      sessionId: client.sessionId,
      sessionPassword: client.sessionPassword,
    });
    const { reason } = await lost;
    expect(reason).toBeInstanceOf(LockLostError);
    await vi.waitFor(() => expect(zk.isConnected()).toBe(true), { timeout: 20_000 });
    expect(await childrenOf(direct, '/locks/x')).toEqual([]); // nothing re-created behind the holder's back
    expect(holder.lost.aborted).toBe(true);
    await holder.release();
  });
});
