import { InvalidArgumentError } from '@zookit/client';
import type { ZkFramework } from '@zookit/framework';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';

import {
  encodeSharedCount,
  InterProcessMultiLock,
  InterProcessMutex,
  InterProcessSemaphoreMutex,
  InterProcessSemaphoreV2,
  LockNotHeldError,
  LockTimeoutError,
} from '../src/index.js';
import type { LockHandle } from '../src/index.js';
import { Frameworks, childrenOf } from './helpers.js';

const connectString = inject('zkStandalone');
let zks: Frameworks;

afterEach(async () => {
  await zks.closeAll();
});

async function frameworks(n: number): Promise<ZkFramework[]> {
  zks = new Frameworks(connectString);
  return Promise.all(Array.from({ length: n }, () => zks.open()));
}

describe('InterProcessSemaphoreV2', () => {
  it('Curator layout: locks/ + leases/_c_<uuid>-lease-<seq>, containers, at most maxLeases at once', async () => {
    const [a, b] = await frameworks(2);
    const semA = new InterProcessSemaphoreV2(a!, '/sem/s', { maxLeases: 2 });
    const semB = new InterProcessSemaphoreV2(b!, '/sem/s', { maxLeases: 2 });
    const l1 = await semA.acquire();
    const l2 = await semB.acquire();
    expect(l1.nodePath).toMatch(/^\/sem\/s\/leases\/_c_[0-9a-f-]{36}-lease-\d{10}$/);
    expect((await a!.getData(l1.nodePath)).stat.czxid).toBe(l1.fencingToken);
    expect((await a!.exists('/sem/s'))?.ephemeralOwner).toBe(0n);
    const error = await semB.acquire({ timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect((await semA.getParticipantNodes()).sort()).toEqual([l1.nodePath, l2.nodePath].sort());
    expect(await childrenOf(a!, '/sem/s/locks')).toEqual([]); // the inner mutex is released after each take
    const waiting = semB.acquire({ timeoutMs: 10_000 });
    await vi.waitFor(async () => expect(await childrenOf(a!, '/sem/s/leases')).toHaveLength(3), {
      timeout: 10_000,
    });
    await l1.release();
    const l3 = await waiting;
    await Promise.all([l2.release(), l3.release()]);
    expect(await childrenOf(a!, '/sem/s/leases')).toEqual([]);
  });

  it('acquireMany is all or none: a timeout returns the leases already taken', async () => {
    const [a] = await frameworks(1);
    const sem = new InterProcessSemaphoreV2(a!, '/sem/many', { maxLeases: 3 });
    const held = await sem.acquire();
    await expect(sem.acquireMany(3, { timeoutMs: 300 })).rejects.toBeInstanceOf(LockTimeoutError);
    expect(await childrenOf(a!, '/sem/many/leases')).toEqual([held.nodePath.split('/').pop()]);
    expect(await childrenOf(a!, '/sem/many/locks')).toEqual([]);
    const two = await sem.acquireMany(2);
    expect(two).toHaveLength(2);
    await Promise.all([held, ...two].map((l) => l.release()));
    expect(() => new InterProcessSemaphoreV2(a!, '/sem/x', {})).toThrow(InvalidArgumentError);
    expect(() => new InterProcessSemaphoreV2(a!, '/sem/x', { maxLeases: 0 })).toThrow(
      expect.objectContaining({ field: 'maxLeases' }),
    );
    await expect(sem.acquireMany(0)).rejects.toMatchObject({ field: 'qty' });
  });

  it('max leases from a SharedCount node (4-byte big-endian int); raising it wakes a waiter', async () => {
    const [a, b] = await frameworks(2);
    const sem = new InterProcessSemaphoreV2(a!, '/sem/shared', {
      sharedCountPath: '/sem/count',
      sharedCountSeed: 1,
    });
    expect(await sem.getMaxLeases()).toBe(1);
    expect((await a!.getData('/sem/count')).data).toEqual(Buffer.from([0, 0, 0, 1]));
    const first = await sem.acquire();
    const other = new InterProcessSemaphoreV2(b!, '/sem/shared', { sharedCountPath: '/sem/count' });
    const waiting = other.acquire({ timeoutMs: 10_000 });
    await vi.waitFor(
      async () => expect(await childrenOf(a!, '/sem/shared/leases')).toHaveLength(2),
      { timeout: 10_000 },
    );
    await b!.setData('/sem/count', encodeSharedCount(2)); // Curator SharedCount.setCount(2) bytes
    const second = await waiting;
    expect(first.lost.aborted || second.lost.aborted).toBe(false);
    await Promise.all([first.release(), second.release()]);
  });

  it('aborting a waiter leaves neither a lease nor an inner lock node', async () => {
    const [a] = await frameworks(1);
    const sem = new InterProcessSemaphoreV2(a!, '/sem/abort', { maxLeases: 1 });
    const held = await sem.acquire();
    const controller = new AbortController();
    const waiting = sem.acquire({ signal: controller.signal });
    await vi.waitFor(
      async () => expect(await childrenOf(a!, '/sem/abort/leases')).toHaveLength(2),
      {
        timeout: 10_000,
      },
    );
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(await childrenOf(a!, '/sem/abort/leases')).toHaveLength(1);
    expect(await childrenOf(a!, '/sem/abort/locks')).toEqual([]);
    await held.release();
  });
});

describe('InterProcessSemaphoreMutex', () => {
  it('is not re-entrant; release() without a lease is LockNotHeldError', async () => {
    const [a] = await frameworks(1);
    const mutex = new InterProcessSemaphoreMutex(a!, '/sm/a');
    await expect(mutex.release()).rejects.toBeInstanceOf(LockNotHeldError);
    const lock = await mutex.acquire();
    expect(lock.nodePath).toMatch(/^\/sm\/a\/leases\/_c_[0-9a-f-]{36}-lease-\d{10}$/);
    expect(mutex.isAcquiredInThisProcess()).toBe(true);
    await expect(mutex.acquire({ timeoutMs: 300 })).rejects.toBeInstanceOf(LockTimeoutError);
    await mutex.release();
    expect(mutex.isAcquiredInThisProcess()).toBe(false);
    expect(lock.released).toBe(true);
    expect(await childrenOf(a!, '/sm/a/leases')).toEqual([]);
  });
});

describe('InterProcessMultiLock', () => {
  it('all or none: when one lock is busy, the ones taken are released', async () => {
    const [a, b] = await frameworks(2);
    const busy = await new InterProcessMutex(b!, '/multi/2').acquire();
    const multi = new InterProcessMultiLock(a!, ['/multi/1', '/multi/2']);
    await expect(multi.acquire({ timeoutMs: 300 })).rejects.toBeInstanceOf(LockTimeoutError);
    expect(await childrenOf(a!, '/multi/1')).toEqual([]);
    expect(multi.isAcquiredInThisProcess()).toBe(false);
    await busy.release();
    let inside: LockHandle | undefined;
    await multi.withLock(async (lost) => {
      expect(lost.aborted).toBe(false);
      expect(multi.isAcquiredInThisProcess()).toBe(true);
      expect(await childrenOf(a!, '/multi/1')).toHaveLength(1);
      expect(await childrenOf(a!, '/multi/2')).toHaveLength(1);
      inside = await new InterProcessMultiLock(b!, [
        new InterProcessMutex(b!, '/multi/3'),
      ]).acquire();
    });
    expect(await childrenOf(a!, '/multi/1')).toEqual([]);
    expect(await childrenOf(a!, '/multi/2')).toEqual([]);
    expect(inside?.fencingToken).toBeTypeOf('bigint');
    await inside?.release();
    await multi.close();
  });
});
