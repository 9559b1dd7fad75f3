import { createFramework } from '@zookit/framework';
import type { ZkFramework } from '@zookit/framework';
import { CuratorProcess } from '@zookit/test-harness';
import type { CuratorEvent } from '@zookit/test-harness';
import { test } from '@zookit/test-harness/vitest';
import { describe, expect, onTestFinished, vi } from 'vitest';

import { InterProcessMutex, InterProcessReadWriteLock } from '../src/index.js';
import type { LockHandle } from '../src/index.js';
import { childrenOf } from './helpers.js';

async function framework(connectString: string): Promise<ZkFramework> {
  const zk = createFramework({
    connectString,
    sessionTimeoutMs: 10_000,
    connectionTimeoutMs: 5_000,
  });
  await zk.start();
  await zk.waitForConnection({ timeoutMs: 20_000 });
  onTestFinished(() => zk.close());
  return zk;
}

async function curator(connectString: string): Promise<CuratorProcess> {
  const java = await CuratorProcess.start({ connectString, sessionTimeoutMs: 10_000 });
  onTestFinished(() => java.close());
  return java;
}

/** Curator's lock `name`, with a local view of whether it holds (acquired seen, release not yet sent). */
class CuratorLock {
  holds = false;
  #seen: number;

  readonly java: CuratorProcess;
  readonly name: string;

  constructor(java: CuratorProcess, name: string) {
    this.java = java;
    this.name = name;
    this.#seen = java.events.length;
  }

  /** Sends `acquire`; resolves when Curator reports the result (calls `onAcquired` at that moment). */
  acquire(timeoutMs: number, onAcquired: () => void = () => undefined): Promise<boolean> {
    const from = this.java.events.length;
    this.java.send('acquire', this.name, String(timeoutMs));
    return this.java
      .waitFor(
        (e: CuratorEvent) => e.ev === 'acquired' && e.name === this.name,
        timeoutMs + 30_000,
        from,
      )
      .then((e) => {
        if (e['ok'] === true) {
          this.holds = true;
          onAcquired();
        }
        return e['ok'] === true;
      });
  }

  async release(): Promise<void> {
    this.holds = false; // Curator may delete its node from now on
    const from = this.java.events.length;
    this.java.send('release', this.name);
    await this.java.waitFor((e) => e.ev === 'released' && e.name === this.name, 30_000, from);
  }

  /** Events of this lock since it was made. */
  events(): CuratorEvent[] {
    return this.java.events.slice(this.#seen).filter((e) => e.name === this.name);
  }
}

async function make(
  java: CuratorProcess,
  kind: string,
  name: string,
  path: string,
): Promise<CuratorLock> {
  const from = java.events.length;
  java.send(kind, name, path);
  await java.waitFor((e) => e.ev === 'created' && e.name === name, 30_000, from);
  return new CuratorLock(java, name);
}

async function contenders(zk: ZkFramework, path: string, count: number): Promise<string[]> {
  return vi.waitFor(
    async () => {
      const children = await childrenOf(zk, path);
      if (children.length !== count)
        throw new Error(`${children.length} contenders, want ${count}`);
      return children;
    },
    { timeout: 15_000, interval: 20 },
  );
}

describe('interop with Curator 5.4 InterProcessMutex / InterProcessReadWriteLock (real JVM)', () => {
  test('mutex: Curator and zookit on one path never overlap; the lock passes both ways in FIFO order', async ({
    connectString,
  }) => {
    const [zk, java] = await Promise.all([framework(connectString), curator(connectString)]);
    const javaLock = await make(java, 'mutex', 'm', '/locks/shared');
    const mutex = new InterProcessMutex(zk, '/locks/shared');
    let zookitHolds = false;
    let overlaps = 0;
    const onCurator = (): void => {
      if (zookitHolds) overlaps++;
    };
    for (let round = 0; round < 10; round++) {
      // Both ask at once; whoever is first holds until the other is queued, then hands over.
      const javaDone = javaLock.acquire(20_000, onCurator);
      let handle: LockHandle | undefined;
      const ours = mutex.acquire({ timeoutMs: 20_000 }).then((h) => {
        if (javaLock.holds) overlaps++;
        zookitHolds = true;
        handle = h;
      });
      await contenders(zk, '/locks/shared', 2).catch(() => undefined);
      await Promise.race([javaDone, ours]);
      if (zookitHolds) {
        await contenders(zk, '/locks/shared', 2);
        expect(javaLock.holds).toBe(false);
        zookitHolds = false;
        await handle?.release();
        expect(await javaDone).toBe(true);
        await javaLock.release();
      } else {
        expect(await javaDone).toBe(true);
        await contenders(zk, '/locks/shared', 2);
        expect(zookitHolds).toBe(false);
        await javaLock.release();
        await ours;
        zookitHolds = false;
        await handle?.release();
      }
      await ours;
    }
    expect(overlaps).toBe(0);
    expect(javaLock.events().filter((e) => e.ev === 'error')).toEqual([]);
    expect(await childrenOf(zk, '/locks/shared')).toEqual([]);
  });

  test('mutex: Curator names its node like zookit (_c_<uuid>-lock-<seq>) and a zookit waiter watches it', async ({
    connectString,
  }) => {
    const [zk, java] = await Promise.all([framework(connectString), curator(connectString)]);
    const javaLock = await make(java, 'mutex', 'm', '/locks/names');
    expect(await javaLock.acquire(10_000)).toBe(true);
    const [javaNode] = await childrenOf(zk, '/locks/names');
    expect(javaNode).toMatch(/^_c_[0-9a-f-]{36}-lock-\d{10}$/);
    const mutex = new InterProcessMutex(zk, '/locks/names');
    const ours = mutex.acquire({ timeoutMs: 20_000 });
    const [first, second] = (await contenders(zk, '/locks/names', 2)).sort((a, b) =>
      a.slice(-10).localeCompare(b.slice(-10)),
    );
    expect(first).toBe(javaNode);
    expect(mutex.isAcquiredInThisProcess()).toBe(false);
    await javaLock.release();
    const handle = await ours;
    expect(handle.nodePath).toBe(`/locks/names/${second}`);
    // And back: Curator waits for zookit.
    const javaDone = javaLock.acquire(20_000);
    await contenders(zk, '/locks/names', 2);
    expect(javaLock.holds).toBe(false);
    await handle.release();
    expect(await javaDone).toBe(true);
    await javaLock.release();
  });

  test('read/write lock: readers share across Curator and zookit; writers exclude both ways', async ({
    connectString,
  }) => {
    const [zk, java] = await Promise.all([framework(connectString), curator(connectString)]);
    const javaWrite = await make(java, 'rw-write', 'w', '/rw/shared');
    const javaRead = await make(java, 'rw-read', 'r', '/rw/shared');
    const rw = new InterProcessReadWriteLock(zk, '/rw/shared');

    // Curator writes: a zookit reader waits.
    expect(await javaWrite.acquire(10_000)).toBe(true);
    let reading = false;
    const read = rw
      .readLock()
      .acquire({ timeoutMs: 20_000 })
      .then((h) => {
        if (javaWrite.holds) reading = true;
        return h;
      });
    await contenders(zk, '/rw/shared', 2);
    await javaWrite.release();
    const ourRead = await read;
    expect(reading).toBe(false);
    expect(ourRead.nodePath).toMatch(/__READ__\d{10}$/);

    // zookit reads: a Curator reader shares, a Curator writer waits.
    expect(await javaRead.acquire(10_000)).toBe(true);
    const javaWriteDone = javaWrite.acquire(20_000);
    await contenders(zk, '/rw/shared', 3);
    expect(javaWrite.holds).toBe(false);
    await javaRead.release();
    await contenders(zk, '/rw/shared', 2);
    expect(javaWrite.holds).toBe(false);
    let writing = false;
    const ourWrite = rw
      .writeLock()
      .acquire({ timeoutMs: 20_000 })
      .then((h) => {
        writing = true;
        if (javaWrite.holds) writing = false;
        return h;
      });
    await contenders(zk, '/rw/shared', 3);
    await ourRead.release();
    expect(await javaWriteDone).toBe(true);
    expect(writing).toBe(false); // queued behind Curator's writer
    await contenders(zk, '/rw/shared', 2);
    await javaWrite.release();
    const w = await ourWrite;
    expect(writing).toBe(true);
    expect(javaWrite.holds).toBe(false);
    await w.release();
    expect(await childrenOf(zk, '/rw/shared')).toEqual([]);
  });

  test('read/write lock: a Curator writer queued before a zookit downgrade waits for the downgraded reader', async ({
    connectString,
  }) => {
    const path = '/rw/downgrade';
    const [zk, java] = await Promise.all([framework(connectString), curator(connectString)]);
    const javaWrite = await make(java, 'rw-write', 'w', path);
    const rw = new InterProcessReadWriteLock(zk, path);
    let readHeld = false;
    let acquiredWhileReading = false;
    await rw.writeLock().withLock(async (_lost, write) => {
      // Curator's own timeout bounds its wait; the reader is held for all of it.
      const javaDone = javaWrite.acquire(4_000, () => (acquiredWhileReading = readHeld));
      await contenders(zk, path, 2);
      const read = await rw.readLock().acquire({ timeoutMs: 5_000 });
      readHeld = true;
      const seq = write.nodePath.slice(-10);
      expect(read.nodePath).toMatch(new RegExp(`__READ__${seq}$`));
      await write.release();
      // Curator's writer is still queued (its node is there) once the write lock is gone…
      const after = await childrenOf(zk, path);
      expect(after.map((c) => c.slice(40, 48)).sort()).toEqual(['__READ__', '__WRIT__']);
      // …and never gets the lock while the read node is held: it times out.
      expect(await javaDone).toBe(false);
      expect(acquiredWhileReading).toBe(false);
      readHeld = false;
      await read.release();
    });
    expect(await javaWrite.acquire(20_000)).toBe(true);
    await javaWrite.release();
    expect(javaWrite.events().filter((e) => e.ev === 'error')).toEqual([]);
    expect(await childrenOf(zk, path)).toEqual([]);
  });
});
