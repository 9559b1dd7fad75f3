import { NoNodeError } from '@zookit/client';
import { createFramework } from '@zookit/framework';
import type { FrameworkOptions, ZkFramework } from '@zookit/framework';
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
