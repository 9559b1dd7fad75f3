import type { ZkFramework } from '@zookit/framework';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';

import { InterProcessReadWriteLock, LockTimeoutError } from '../src/index.js';
import { CriticalSection, Frameworks, childrenOf } from './helpers.js';

const connectString = inject('zkStandalone');
let zks: Frameworks;

afterEach(async () => {
  await zks.closeAll();
});

async function two(): Promise<[ZkFramework, ZkFramework]> {
  zks = new Frameworks(connectString);
  const [a, b] = await Promise.all([zks.open(), zks.open()]);
  return [a, b];
}

const names = async (zk: ZkFramework, path: string): Promise<string[]> =>
  (await childrenOf(zk, path)).map((c) => c.replace(/^_c_[0-9a-f-]{36}-/, '')).sort();

describe('InterProcessReadWriteLock', () => {
  it('uses Curator names: __READ__ / __WRIT__ protected sequential nodes sharing one counter', async () => {
    const [a] = await two();
    const rw = new InterProcessReadWriteLock(a, '/rw/names');
    const write = await rw.writeLock().acquire();
    expect(write.nodePath).toMatch(/\/_c_[0-9a-f-]{36}-__WRIT__\d{10}$/);
    await write.release();
    const read = await rw.readLock().acquire();
    expect(read.nodePath).toMatch(/\/_c_[0-9a-f-]{36}-__READ__\d{10}$/);
    const writeSeq = Number(write.nodePath.slice(-10));
    expect(Number(read.nodePath.slice(-10))).toBeGreaterThan(writeSeq);
    await read.release();
  });

  it('readers share the lock; a writer waits for them and blocks later readers (fair)', async () => {
    const [a, b] = await two();
    const rwA = new InterProcessReadWriteLock(a, '/rw/fair');
    const rwB = new InterProcessReadWriteLock(b, '/rw/fair');
    const r1 = await rwA.readLock().acquire();
    const r2 = await rwB.readLock().acquire({ timeoutMs: 5_000 }); // concurrent readers
    let writing = false;
    const writer = rwB
      .writeLock()
      .acquire()
      .then((h) => {
        writing = true;
        return h;
      });
    await vi.waitFor(async () => expect(await childrenOf(a, '/rw/fair')).toHaveLength(3), {
      timeout: 10_000,
    });
    // A reader arriving after the waiting writer queues behind it.
    await expect(rwA.readLock().acquire({ timeoutMs: 300 })).rejects.toBeInstanceOf(
      LockTimeoutError,
    );
    await r1.release();
    expect(writing).toBe(false);
    await r2.release();
    const w = await writer;
    expect(w.fencingToken > r2.fencingToken).toBe(true);
    await expect(rwA.readLock().acquire({ timeoutMs: 300 })).rejects.toBeInstanceOf(
      LockTimeoutError,
    );
    await w.release();
    const r3 = await rwA.readLock().acquire({ timeoutMs: 5_000 });
    await r3.release();
    expect(await childrenOf(a, '/rw/fair')).toEqual([]);
  });

  it('downgrade (Curator 5.5+): read while holding write reuses the write sequence as a plain ephemeral', async () => {
    const [a, b] = await two();
    const rw = new InterProcessReadWriteLock(a, '/rw/down');
    const other = new InterProcessReadWriteLock(b, '/rw/down');
    await rw.writeLock().withLock(async () => {
      const read = await rw.readLock().acquire({ timeoutMs: 1_000 });
      const seq = read.nodePath.slice(-10);
      expect(await names(a, '/rw/down')).toEqual([`__READ__${seq}`, `__WRIT__${seq}`]);
      const { stat } = await a.getData(read.nodePath);
      expect(stat.ephemeralOwner).toBe(a.sessionId);
      expect(stat.ephemeralOwner).not.toBe(0n);
      // A writer queued now must not slip in between when the write lock goes.
      const queued = other.writeLock().acquire();
      await vi.waitFor(async () => expect(await childrenOf(a, '/rw/down')).toHaveLength(3), {
        timeout: 10_000,
      });
      await rw.writeLock().release();
      await expect(other.readLock().acquire({ timeoutMs: 300 })).rejects.toBeInstanceOf(
        LockTimeoutError,
      );
      await read.release();
      const w = await queued;
      await w.release();
    });
    expect(await childrenOf(a, '/rw/down')).toEqual([]);
  });

  it('many readers and writers across frameworks: writers exclusive, no reader during a write', async () => {
    zks = new Frameworks(connectString);
    const frameworks = await Promise.all(Array.from({ length: 4 }, () => zks.open()));
    let readers = 0;
    let writers = 0;
    let violations = 0;
    const writes = new CriticalSection();
    await Promise.all(
      frameworks.map(async (zk, i) => {
        const rw = new InterProcessReadWriteLock(zk, '/rw/mixed');
        for (let n = 0; n < 15; n++) {
          if ((n + i) % 3 === 0) {
            await rw.writeLock().withLock(async () => {
              writers++;
              if (writers > 1 || readers > 0) violations++;
              await writes.run(0n, () => new Promise((r) => setImmediate(r)));
              writers--;
            });
          } else {
            await rw.readLock().withLock(async () => {
              readers++;
              if (writers > 0) violations++;
              await new Promise((r) => setImmediate(r));
              readers--;
            });
          }
        }
      }),
    );
    expect(violations).toBe(0);
    expect(writes.overlaps).toBe(0);
    expect(writes.tokens.length).toBe(20);
  });
});
