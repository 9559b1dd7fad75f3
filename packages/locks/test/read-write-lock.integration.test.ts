import type { ZkFramework } from '@zookit/framework';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';

import { InterProcessReadWriteLock, LockTimeoutError } from '../src/index.js';
import type { LockHandle } from '../src/index.js';
import {
  CriticalSection,
  Frameworks,
  SharedCounter,
  childrenOf,
  recordingWatches,
} from './helpers.js';

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

  it('downgrade (Curator 5.5+): read while holding write reuses the write sequence as a plain ephemeral; a writer queued after it waits for the reader', async () => {
    const [a, b] = await two();
    const path = '/rw/down';
    const rw = new InterProcessReadWriteLock(a, path);
    const watches = recordingWatches(b);
    const other = new InterProcessReadWriteLock(watches.framework, path);
    let acquired = false;
    let queued: Promise<LockHandle> | undefined;
    let readToken = 0n;
    await rw.writeLock().withLock(async (_lost, write) => {
      const read = await rw.readLock().acquire({ timeoutMs: 5_000 });
      readToken = read.fencingToken;
      const seq = write.nodePath.slice(-10);
      expect(read.nodePath.slice(-10)).toBe(seq);
      expect(await names(a, path)).toEqual([`__READ__${seq}`, `__WRIT__${seq}`]);
      const { stat } = await a.getData(read.nodePath);
      expect(stat.ephemeralOwner).toBe(a.sessionId);
      expect(stat.ephemeralOwner).not.toBe(0n);
      // A writer queued now must not slip in between when the write lock goes.
      queued = other
        .writeLock()
        .acquire()
        .then((h) => {
          acquired = true;
          return h;
        });
      await vi.waitFor(async () => expect(await childrenOf(a, path)).toHaveLength(3), {
        timeout: 10_000,
      });
      await write.release();
      // Whichever node it watched first, it ends up parked on the read node (or, wrongly, holding).
      await Promise.race([watches.watched(read.nodePath), queued]);
      await b.sync(path); // one more round trip on the writer's session
      expect(acquired).toBe(false);
      expect(await names(a, path)).toEqual([`__READ__${seq}`, expect.stringMatching(/^__WRIT__/)]);
      await read.release();
    });
    const w = await queued!;
    expect(acquired).toBe(true);
    expect(w.fencingToken > readToken).toBe(true);
    await w.release();
    expect(await childrenOf(a, path)).toEqual([]);
  });

  it('downgrade: a writer queued BEFORE the downgrade still waits for the downgraded reader after the write lock goes', async () => {
    const [a, b] = await two();
    const path = '/rw/down-queued';
    const rw = new InterProcessReadWriteLock(a, path);
    const watches = recordingWatches(b);
    const other = new InterProcessReadWriteLock(watches.framework, path);
    let acquired = false;
    let readHeld = false;
    let acquiredWhileReading = false;
    let queued: Promise<LockHandle> | undefined;
    let writeToken = 0n;
    await rw.writeLock().withLock(async (_lost, write) => {
      writeToken = write.fencingToken;
      queued = other
        .writeLock()
        .acquire()
        .then((h) => {
          acquired = true;
          acquiredWhileReading = readHeld;
          return h;
        });
      // Parked behind our write node: second in line, its predecessor watch set.
      await watches.watched(write.nodePath);
      const read = await rw.readLock().acquire({ timeoutMs: 5_000 });
      readHeld = true;
      const seq = write.nodePath.slice(-10);
      expect(read.nodePath.slice(-10)).toBe(seq);
      await write.release(); // fires the queued writer's watch; the read node still sorts before it
      await Promise.race([watches.watched(read.nodePath), queued]);
      await b.exists(path); // one more round trip on the writer's session
      expect(acquired).toBe(false);
      expect(await names(a, path)).toEqual([`__READ__${seq}`, expect.stringMatching(/^__WRIT__/)]);
      readHeld = false;
      await read.release();
    });
    const w = await queued!;
    expect(acquired).toBe(true);
    expect(acquiredWhileReading).toBe(false);
    expect(w.fencingToken > writeToken).toBe(true);
    await w.release();
    expect(await childrenOf(a, path)).toEqual([]);
  });

  it('many readers and writers across frameworks: writers exclusive, no reader during a write', async () => {
    zks = new Frameworks(connectString);
    const frameworks = await Promise.all(Array.from({ length: 4 }, () => zks.open()));
    let readers = 0;
    let writers = 0;
    let violations = 0;
    let tornReads = 0;
    const writes = new CriticalSection();
    const counter = new SharedCounter('/counters/mixed');
    await counter.create(frameworks[0]!);
    await Promise.all(
      frameworks.map(async (zk, i) => {
        const rw = new InterProcessReadWriteLock(zk, '/rw/mixed');
        for (let n = 0; n < 15; n++) {
          if ((n + i) % 3 === 0) {
            await rw.writeLock().withLock(async (_lost, lock) => {
              writers++;
              if (writers > 1 || readers > 0) violations++;
              // Real I/O while holding: a read, then a write conditioned on the version read.
              await writes.run(lock.fencingToken, () => counter.increment(zk));
              writers--;
            });
          } else {
            await rw.readLock().withLock(async () => {
              readers++;
              if (writers > 0) violations++;
              // No writer may get in between two reads of the counter.
              const before = await counter.value(zk);
              if ((await counter.value(zk)) !== before) tornReads++;
              readers--;
            });
          }
        }
      }),
    );
    expect(violations).toBe(0);
    expect(tornReads).toBe(0);
    expect(writes.overlaps).toBe(0);
    expect(counter.badVersions).toBe(0);
    expect(await counter.value(frameworks[0]!)).toBe(20);
    expect(writes.tokens.length).toBe(20);
    for (let k = 1; k < writes.tokens.length; k++)
      expect(writes.tokens[k]! > writes.tokens[k - 1]!).toBe(true);
  });
});
