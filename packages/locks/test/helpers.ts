import { BadVersionError, NoNodeError } from '@zookit/client';
import { createFramework } from '@zookit/framework';
import type { DataResult } from '@zookit/client';
import type { FrameworkOptions, FrameworkReadOptions, ZkFramework } from '@zookit/framework';
import { RetryNTimes } from '@zookit/retry';
import { startConnected, uniqueNamespace as harnessNamespace } from '@zookit/test-harness';

/** A unique namespace for one test. */
export function uniqueNamespace(): string {
  return harnessNamespace('locks');
}

/** Starts a framework and waits for its first connection. */
export function startedFramework(options: FrameworkOptions): Promise<ZkFramework> {
  return startConnected(
    createFramework({
      sessionTimeoutMs: 10_000,
      connectionTimeoutMs: 5_000,
      retryPolicy: new RetryNTimes({ maxRetries: 5, sleepMs: 100 }),
      ...options,
    }),
  );
}

/** Frameworks opened by a test, closed by `closeAll`. */
export class Frameworks {
  readonly #open: ZkFramework[] = [];
  readonly namespace = uniqueNamespace();

  readonly connectString: string;

  constructor(connectString: string) {
    this.connectString = connectString;
  }

  async open(options: Partial<FrameworkOptions> = {}): Promise<ZkFramework> {
    const zk = await startedFramework({
      connectString: this.connectString,
      namespace: this.namespace,
      ...options,
    });
    this.#open.push(zk);
    return zk;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.#open.splice(0).map((zk) => zk.close()));
  }
}

/** Records critical sections and fails on any overlap. */
export class CriticalSection {
  #inside = 0;
  overlaps = 0;
  readonly tokens: bigint[] = [];

  async run(token: bigint, work: () => Promise<void> = () => Promise.resolve()): Promise<void> {
    this.#inside++;
    if (this.#inside > 1) this.overlaps++;
    this.tokens.push(token);
    try {
      await work();
    } finally {
      this.#inside--;
    }
  }
}

/** A promise with its resolve function. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** The children of `path`, `[]` when it does not exist (empty lock directories are containers the server reaps). */
export async function childrenOf(zk: ZkFramework, path: string): Promise<string[]> {
  try {
    return await zk.getChildren(path);
  } catch (error) {
    if (error instanceof NoNodeError) return [];
    throw error;
  }
}

/**
 * `zk` seen through a proxy that records every `getData` that left a watch (how a waiting contender
 * watches the node it queues behind), so a test can wait for a waiter to be parked on a given node
 * instead of guessing with a delay. Everything else goes straight to `zk`.
 */
export function recordingWatches(zk: ZkFramework): {
  framework: ZkFramework;
  /** Resolves once a watch was left on `path` (at once if one already was). */
  watched: (path: string) => Promise<void>;
} {
  const seen = new Set<string>();
  const waiters = new Map<string, Array<() => void>>();
  const record = (path: string): void => {
    seen.add(path);
    for (const resolve of waiters.get(path) ?? []) resolve();
    waiters.delete(path);
  };
  const getData = async (path: string, options: FrameworkReadOptions = {}): Promise<DataResult> => {
    const result = await zk.getData(path, options);
    if (options.watch !== undefined) record(path);
    return result;
  };
  const framework = new Proxy(zk, {
    get(target, property) {
      if (property === 'getData') return getData;
      // ZkFramework keeps its state in private fields: call through to the real instance.
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  const watched = (path: string): Promise<void> =>
    seen.has(path)
      ? Promise.resolve()
      : new Promise((resolve) => waiters.set(path, [...(waiters.get(path) ?? []), resolve]));
  return { framework, watched };
}

/**
 * A counter node that lock holders bump with real I/O: a read, then a write conditioned on the version
 * read. Two holders inside at once make one of the writes fail with `BadVersionError` (counted, not
 * thrown), and the final value falls short of the number of increments.
 */
export class SharedCounter {
  readonly path: string;
  badVersions = 0;
  increments = 0;

  constructor(path: string) {
    this.path = path;
  }

  async create(zk: ZkFramework): Promise<void> {
    await zk.create(this.path, '0', { parents: true });
  }

  async increment(zk: ZkFramework): Promise<void> {
    this.increments++;
    const { data, stat } = await zk.getData(this.path);
    try {
      await zk.setData(this.path, String(Number(data.toString()) + 1), { version: stat.version });
    } catch (error) {
      if (!(error instanceof BadVersionError)) throw error;
      this.badVersions++;
    }
  }

  async value(zk: ZkFramework): Promise<number> {
    return Number((await zk.getData(this.path)).data.toString());
  }
}
