/**
 * Workers sharing one InterProcessMutex, passing fencing tokens to the storage they write to.
 *
 *   node --conditions=source --import tsx main.ts [connectString]
 *
 * With no connect string it starts its own local ZooKeeper. Three workers (one session each) increment a
 * shared counter under the lock, each write carrying the lock's fencing token. Then one worker's lock is
 * taken away behind its back (its node is deleted, as a session expiry would): its `lost` signal fires at
 * once, another worker takes the lock, and the stale worker's late write is REJECTED by the storage
 * because its token is older. Finally a short `timeoutMs` shows `LockTimeoutError`. Exits 0.
 */
import { createFramework } from '@zookit/framework';
import type { ZkFramework } from '@zookit/framework';
import { InterProcessMutex, LockTimeoutError } from '@zookit/locks';
import type { LockLostError } from '@zookit/locks';
import { ZkEnsemble } from '@zookit/test-harness';

const LOCK_PATH = '/locks/counter';
const ROUNDS = 3;

/**
 * The downstream system: it remembers the highest fencing token it has seen and refuses writes that
 * carry an older one. This is what makes a lock safe against a holder that lost it without noticing
 * (GC pause, partition): ZooKeeper alone cannot stop a process that is not listening.
 */
class FencedStore {
  value = 0;
  #highestToken = -1n;

  write(value: number, token: bigint): void {
    if (token < this.#highestToken) {
      throw new Error(`rejected: token ${token} is older than ${this.#highestToken}`);
    }
    this.#highestToken = token;
    this.value = value;
  }
}

const started = performance.now();
const log = (who: string, message: string): void =>
  console.log(
    `${(performance.now() - started).toFixed(1).padStart(8)} ms  ${who.padEnd(8)} ${message}`,
  );

async function open(connectString: string): Promise<ZkFramework> {
  const zk = createFramework({
    connectString,
    namespace: 'zookit-example',
    sessionTimeoutMs: 10_000,
  });
  await zk.start();
  await zk.waitForConnection({ timeoutMs: 10_000 });
  return zk;
}

async function main(): Promise<void> {
  const given = process.argv[2];
  const ensemble = given === undefined ? await ZkEnsemble.start({ servers: 1 }) : undefined;
  const connectString = given ?? ensemble?.connectString ?? '';
  log(
    'main',
    `ZooKeeper at ${connectString}${ensemble === undefined ? '' : ' (started for this demo)'}`,
  );
  const frameworks = await Promise.all(['w1', 'w2', 'w3'].map(() => open(connectString)));
  const store = new FencedStore();
  try {
    // 1. Mutual exclusion with fencing tokens.
    await Promise.all(
      frameworks.map(async (zk, i) => {
        const name = `worker-${i + 1}`;
        const mutex = new InterProcessMutex(zk, LOCK_PATH, { nodeData: name });
        for (let round = 0; round < ROUNDS; round++) {
          await mutex.withLock(
            (lost, lock) => {
              lost.throwIfAborted(); // never write once the lock can no longer be trusted
              store.write(store.value + 1, lock.fencingToken);
              log(name, `holds the lock, token ${lock.fencingToken}, counter → ${store.value}`);
            },
            { timeoutMs: 10_000 },
          );
        }
      }),
    );
    log('main', `counter = ${store.value} (expected ${3 * ROUNDS})`);

    // 2. A holder loses its lock without doing anything wrong; its late write is fenced off.
    const [a, b] = frameworks;
    if (a === undefined || b === undefined) throw new Error('unreachable');
    const staleMutex = new InterProcessMutex(a, LOCK_PATH);
    const stale = await staleMutex.acquire();
    log('worker-1', `holds the lock, token ${stale.fencingToken}`);
    stale.lost.addEventListener('abort', () => {
      log(
        'worker-1',
        `lost signal: ${(stale.lost.reason as LockLostError).reason} — it should stop now`,
      );
    });
    await b.delete(stale.nodePath); // what a session expiry does to an ephemeral lock node
    const fresh = await new InterProcessMutex(b, LOCK_PATH).acquire({ timeoutMs: 10_000 });
    log('worker-2', `holds the lock, token ${fresh.fencingToken}`);
    store.write(store.value + 1, fresh.fencingToken);
    log('worker-2', `wrote counter → ${store.value}`);
    try {
      store.write(999, stale.fencingToken); // a stale holder that ignored `lost`
      log('worker-1', 'stale write ACCEPTED (this must not happen)');
      process.exitCode = 1;
    } catch (error) {
      log('worker-1', `stale write ${(error as Error).message}`);
    }
    await stale.release(); // harmless: its node is already gone, and nobody else's node is touched

    // 3. Timeouts leave nothing behind.
    try {
      await new InterProcessMutex(a, LOCK_PATH).acquire({ timeoutMs: 200 });
    } catch (error) {
      if (!(error instanceof LockTimeoutError)) throw error;
      log(
        'worker-1',
        `LockTimeoutError after ${error.timeoutMs} ms; contenders now: ${(await a.getChildren(LOCK_PATH)).length}`,
      );
    }
    await fresh.release();
    log('main', `contenders after release: ${(await a.getChildren(LOCK_PATH)).length}`);
  } finally {
    await Promise.all(frameworks.map((zk) => zk.close()));
    await ensemble?.close();
  }
  log('main', 'done');
}

await main();
