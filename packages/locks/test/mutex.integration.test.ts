import { InvalidArgumentError, InvalidPathError } from '@zookit/client';
import { isProtectedZNode, RecipeStateError } from '@zookit/framework';
import type { ZkFramework } from '@zookit/framework';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';

import {
  attemptRevoke,
  InterProcessMutex,
  LockLostError,
  LockNotHeldError,
  LockTimeoutError,
} from '../src/index.js';
import type { LockHandle } from '../src/index.js';
import { CriticalSection, deferred, Frameworks, SharedCounter, childrenOf } from './helpers.js';

const connectString = inject('zkStandalone');
let zks: Frameworks;

afterEach(async () => {
  await zks.closeAll();
});

function fresh(): Frameworks {
  zks = new Frameworks(connectString);
  return zks;
}

/** Waits until `count` contenders are queued on `path`. */
async function waitForContenders(zk: ZkFramework, path: string, count: number): Promise<string[]> {
  return vi.waitFor(
    async () => {
      const children = await childrenOf(zk, path);
      if (children.length !== count)
        throw new Error(`${children.length} contenders, want ${count}`);
      return children;
    },
    { timeout: 10_000, interval: 20 },
  );
}

describe('InterProcessMutex: layout and handle', () => {
  it('creates Curator nodes: protected ephemeral-sequential lock- nodes with the local IP, czxid as fencing token', async () => {
    const zk = await fresh().open();
    const mutex = new InterProcessMutex(zk, '/locks/a');
    const lock = await mutex.acquire();
    const [node] = await childrenOf(zk, '/locks/a');
    expect(node).toMatch(/^_c_[0-9a-f-]{36}-lock-\d{10}$/);
    expect(isProtectedZNode(node ?? '')).toBe(true);
    expect(lock.nodePath).toBe(`/locks/a/${node}`);
    const { data, stat } = await zk.getData(lock.nodePath);
    expect(stat.ephemeralOwner).toBe(zk.sessionId);
    expect(stat.czxid).toBe(lock.fencingToken);
    expect(data.toString()).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(await mutex.getParticipantNodes()).toEqual([lock.nodePath]);
    expect(mutex.isAcquiredInThisProcess()).toBe(true);
    expect(lock.lost.aborted).toBe(false);
    await lock.release();
    expect(await childrenOf(zk, '/locks/a')).toEqual([]);
    expect(mutex.isAcquiredInThisProcess()).toBe(false);
    await lock.release(); // releasing twice is a no-op
    expect(lock.released).toBe(true);
  });

  it('supports await using and custom node data', async () => {
    const zk = await fresh().open();
    const mutex = new InterProcessMutex(zk, '/locks/b', { nodeData: 'worker-7' });
    let path: string;
    {
      await using lock = await mutex.acquire();
      path = lock.nodePath;
      expect((await zk.getData(path)).data.toString()).toBe('worker-7');
    }
    expect(await zk.exists(path)).toBeNull();
  });

  it('rejects bad input with typed errors naming the field or path', async () => {
    const zk = await fresh().open();
    expect(() => new InterProcessMutex(zk, 'no-slash')).toThrow(InvalidPathError);
    expect(() => new InterProcessMutex(zk, '/')).toThrow(InvalidPathError);
    expect(() => new InterProcessMutex(zk, '/x', { nodeData: 5 } as never)).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError', field: 'nodeData' }),
    );
    expect(() => new InterProcessMutex(zk, '/x', { bogus: 1 } as never)).toThrow(
      InvalidArgumentError,
    );
    const mutex = new InterProcessMutex(zk, '/x');
    await expect(mutex.acquire({ timeoutMs: -1 })).rejects.toMatchObject({
      name: 'InvalidArgumentError',
      field: 'timeoutMs',
    });
  });
});

describe('InterProcessMutex: mutual exclusion', () => {
  it('5 frameworks x 100 acquisitions: no overlap, fencing tokens strictly increasing in acquisition order', async () => {
    const pool = fresh();
    const frameworks = await Promise.all(Array.from({ length: 5 }, () => pool.open()));
    const section = new CriticalSection();
    const counter = new SharedCounter('/counters/contended');
    await counter.create(frameworks[0]!);
    await Promise.all(
      frameworks.map(async (zk) => {
        const mutex = new InterProcessMutex(zk, '/locks/contended');
        for (let i = 0; i < 100; i++) {
          const lock = await mutex.acquire({ timeoutMs: 30_000 });
          // Real I/O while holding: a read, then a write conditioned on the version read.
          await section.run(lock.fencingToken, () => counter.increment(zk));
          await lock.release();
        }
      }),
    );
    expect(section.overlaps).toBe(0);
    expect(counter.badVersions).toBe(0);
    expect(await counter.value(frameworks[0]!)).toBe(500);
    expect(section.tokens).toHaveLength(500);
    for (let i = 1; i < section.tokens.length; i++)
      expect(section.tokens[i]! > section.tokens[i - 1]!).toBe(true);
    expect(await childrenOf(frameworks[0]!, '/locks/contended')).toEqual([]);
  });

  it('20 async chains of one process on one instance: no overlap, tokens strictly increasing', async () => {
    const zk = await fresh().open();
    const mutex = new InterProcessMutex(zk, '/locks/chains');
    const section = new CriticalSection();
    const counter = new SharedCounter('/counters/chains');
    await counter.create(zk);
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let i = 0; i < 25; i++) {
          await mutex.withLock(async () => {
            const token = (await mutex.acquire()).fencingToken; // re-entrant: same node, same token
            await section.run(token, () => counter.increment(zk));
            await mutex.release();
          });
        }
      }),
    );
    expect(section.overlaps).toBe(0);
    expect(counter.badVersions).toBe(0);
    expect(await counter.value(zk)).toBe(500);
    expect(section.tokens).toHaveLength(500);
    for (let i = 1; i < section.tokens.length; i++)
      expect(section.tokens[i]! > section.tokens[i - 1]!).toBe(true);
    expect(await childrenOf(zk, '/locks/chains')).toEqual([]);
  });

  it('is re-entrant within a withLock scope (one node, counted holds) and nowhere else', async () => {
    const zk = await fresh().open();
    const mutex = new InterProcessMutex(zk, '/locks/re');
    await expect(mutex.release()).rejects.toBeInstanceOf(LockNotHeldError);
    const go = deferred();
    const sibling = go.promise.then(() => mutex.acquire({ timeoutMs: 300 }));
    await mutex.withLock(async (lost) => {
      expect(lost.aborted).toBe(false);
      expect(mutex.isOwnedByCurrentContext()).toBe(true);
      const inner = await mutex.acquire({ timeoutMs: 1_000 });
      const nested = await mutex.withLock(async () => (await childrenOf(zk, '/locks/re')).length);
      expect(nested).toBe(1);
      expect(await childrenOf(zk, '/locks/re')).toHaveLength(1);
      await inner.release();
      expect(await childrenOf(zk, '/locks/re')).toHaveLength(1); // the outer hold remains
      // A sibling chain of the same instance, started outside this scope, is another contender: it waits.
      go.resolve();
      await expect(sibling).rejects.toBeInstanceOf(LockTimeoutError);
    });
    expect(await childrenOf(zk, '/locks/re')).toEqual([]);
    expect(mutex.isOwnedByCurrentContext()).toBe(false);
    await expect(mutex.release()).rejects.toBeInstanceOf(LockNotHeldError);
  });

  it('is not re-entrant outside withLock: a second bare acquire in the same function is a new contender', async () => {
    const zk = await fresh().open();
    const mutex = new InterProcessMutex(zk, '/locks/bare');
    const first = await mutex.acquire();
    expect(mutex.isOwnedByCurrentContext()).toBe(false);
    await expect(mutex.acquire({ timeoutMs: 300 })).rejects.toBeInstanceOf(LockTimeoutError);
    expect(await childrenOf(zk, '/locks/bare')).toEqual([
      first.nodePath.slice('/locks/bare/'.length),
    ]);
    await first.release();
    expect(await childrenOf(zk, '/locks/bare')).toEqual([]);
  });

  it('withLock releases when fn throws', async () => {
    const zk = await fresh().open();
    const mutex = new InterProcessMutex(zk, '/locks/throws');
    await expect(mutex.withLock(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await childrenOf(zk, '/locks/throws')).toEqual([]);
    expect(mutex.isAcquiredInThisProcess()).toBe(false);
  });

  it('a waiter whose predecessor gives up re-watches the holder (no herd, no skipped holder)', async () => {
    const pool = fresh();
    const [a, b, c] = await Promise.all([pool.open(), pool.open(), pool.open()]);
    const held = await new InterProcessMutex(a, '/locks/chain').acquire();
    const abortB = new AbortController();
    const waitingB = new InterProcessMutex(b, '/locks/chain').acquire({ signal: abortB.signal });
    await waitForContenders(a, '/locks/chain', 2);
    let cHolds = false;
    const waitingC = new InterProcessMutex(c, '/locks/chain').acquire().then((h) => {
      cHolds = true;
      return h;
    });
    await waitForContenders(a, '/locks/chain', 3);
    abortB.abort(new Error('B gives up'));
    await expect(waitingB).rejects.toThrow('B gives up');
    await waitForContenders(a, '/locks/chain', 2);
    expect(cHolds).toBe(false);
    await held.release();
    const lockC = await waitingC;
    expect(lockC.fencingToken > held.fencingToken).toBe(true);
    await lockC.release();
  });
});

describe('InterProcessMutex: timeouts, aborts and close leave no node behind', () => {
  async function withHolder(): Promise<{
    zk: ZkFramework;
    other: ZkFramework;
    holder: LockHandle;
    holderNode: string;
  }> {
    const pool = fresh();
    const [zk, other] = await Promise.all([pool.open(), pool.open()]);
    const holder = await new InterProcessMutex(zk, '/locks/t').acquire();
    return { zk: zk, other: other, holder, holderNode: holder.nodePath.slice('/locks/t/'.length) };
  }

  it('timeout: LockTimeoutError naming the path, only the holder node remains', async () => {
    const { zk, other, holderNode } = await withHolder();
    const mutex = new InterProcessMutex(other, '/locks/t');
    const error = await mutex.acquire({ timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', path: '/locks/t', timeoutMs: 300 });
    expect(await childrenOf(zk, '/locks/t')).toEqual([holderNode]);
    expect(mutex.isAcquiredInThisProcess()).toBe(false);
  });

  it('timeoutMs 0 on a free lock still acquires nothing left over on failure', async () => {
    const { zk, other, holderNode } = await withHolder();
    await expect(
      new InterProcessMutex(other, '/locks/t').acquire({ timeoutMs: 0 }),
    ).rejects.toBeInstanceOf(LockTimeoutError);
    await vi.waitFor(async () => expect(await childrenOf(zk, '/locks/t')).toEqual([holderNode]), {
      timeout: 10_000,
    });
  });

  it('abort while waiting: rejects with the reason, only the holder node remains', async () => {
    const { zk, other, holderNode } = await withHolder();
    const controller = new AbortController();
    const waiting = new InterProcessMutex(other, '/locks/t').acquire({ signal: controller.signal });
    await waitForContenders(zk, '/locks/t', 2);
    const reason = new Error('user abort');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(await childrenOf(zk, '/locks/t')).toEqual([holderNode]);
  });

  it('an already-aborted signal creates nothing', async () => {
    const { zk, other, holderNode } = await withHolder();
    const reason = new Error('too late');
    await expect(
      new InterProcessMutex(other, '/locks/t').acquire({ signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect(await childrenOf(zk, '/locks/t')).toEqual([holderNode]);
  });

  it('close() aborts a pending acquisition and releases held locks', async () => {
    const { zk, other, holder, holderNode } = await withHolder();
    const mutex = new InterProcessMutex(other, '/locks/t');
    const waiting = mutex.acquire();
    await waitForContenders(zk, '/locks/t', 2);
    await mutex.close();
    await expect(waiting).rejects.toBeInstanceOf(RecipeStateError);
    expect(await childrenOf(zk, '/locks/t')).toEqual([holderNode]);
    const again = new InterProcessMutex(other, '/locks/u');
    await again.acquire();
    await again.close();
    expect(await childrenOf(zk, '/locks/u')).toEqual([]);
    await holder.release();
  });
});

describe('InterProcessMutex: lost and revocation', () => {
  it('fires lost (nodeDeleted) when someone deletes the holder node, and never re-acquires', async () => {
    const pool = fresh();
    const [zk, admin] = await Promise.all([pool.open(), pool.open()]);
    const mutex = new InterProcessMutex(zk, '/locks/del');
    await mutex.withLock(async (lost) => {
      const [node] = await childrenOf(admin, '/locks/del');
      const fired = new Promise<unknown>((resolve) =>
        lost.addEventListener('abort', () => resolve(lost.reason), { once: true }),
      );
      await admin.delete(`/locks/del/${node}`);
      const reason = await fired;
      expect(reason).toBeInstanceOf(LockLostError);
      expect(reason).toMatchObject({ reason: 'nodeDeleted', code: 'LOCK_LOST' });
      await expect(mutex.acquire()).rejects.toBeInstanceOf(LockLostError); // re-entry into a lost lock
    });
    expect(await childrenOf(zk, '/locks/del')).toEqual([]);
  });

  it('a waiter whose node is deleted under it starts again with a new node (Curator NoNode retry)', async () => {
    const pool = fresh();
    const [zk, other] = await Promise.all([pool.open(), pool.open()]);
    const held = await new InterProcessMutex(zk, '/locks/gone').acquire();
    const waiting = new InterProcessMutex(other, '/locks/gone').acquire({ timeoutMs: 20_000 });
    const [, first] = (await waitForContenders(zk, '/locks/gone', 2)).sort((x, y) =>
      x.slice(-10).localeCompare(y.slice(-10)),
    );
    await zk.delete(`/locks/gone/${first}`);
    await vi.waitFor(
      async () => {
        const now = await childrenOf(zk, '/locks/gone');
        expect(now).toHaveLength(2);
        expect(now).not.toContain(first);
      },
      { timeout: 10_000 },
    );
    await held.release();
    const lock = await waiting;
    expect(lock.nodePath).not.toBe(`/locks/gone/${first}`);
    expect(lock.lost.aborted).toBe(false);
    await lock.release();
  });

  it('revocation: __REVOKE__ written by attemptRevoke reaches the holder, which releases', async () => {
    const pool = fresh();
    const [zk, other] = await Promise.all([pool.open(), pool.open()]);
    const holder: { lock?: LockHandle } = {};
    const requested = deferred<string>();
    const mutex = new InterProcessMutex(zk, '/locks/rev', {
      onRevocationRequested: (request) => {
        requested.resolve(request.nodePath);
        void holder.lock?.release();
      },
    });
    const lock = await mutex.acquire();
    holder.lock = lock;
    expect((await zk.getData(lock.nodePath)).data.length).toBe(0); // revocable nodes hold empty data
    const waiting = new InterProcessMutex(other, '/locks/rev').acquire({ timeoutMs: 10_000 });
    await waitForContenders(zk, '/locks/rev', 2);
    await attemptRevoke(other, lock.nodePath);
    expect(await requested.promise).toBe(lock.nodePath);
    const next = await waiting;
    expect(next.fencingToken > lock.fencingToken).toBe(true);
    await next.release();
    await attemptRevoke(other, lock.nodePath); // a missing node is fine
  });
});
