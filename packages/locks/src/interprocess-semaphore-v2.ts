import { InvalidArgumentError, NoNodeError, validatePath } from '@zookit/client';
import type { WatchListener } from '@zookit/client';
import type { ZkFramework } from '@zookit/framework';
import { parseRecipeOptions, localAddress } from '@zookit/framework/recipe-kit';
import { RecipeStateError } from '@zookit/framework';
import { Subject } from 'rxjs';
import type { Observable } from 'rxjs';
import { z } from 'zod';

import { AcquireContext } from './internal/acquire-context.js';
import { standardDriver } from './internal/lock-driver.js';
import { LockInternals } from './internal/lock-internals.js';
import type { LockNode } from './internal/lock-node.js';
import { checkLockPath } from './internal/parse-options.js';
import { readSharedCount } from './internal/shared-count.js';
import { LOCK_NAME } from './interprocess-mutex.js';
import type { LockAcquireOptions, LockHandle } from './lock-handle.js';

/**
 * Curator's `LEASE_BASE_NAME`: lease nodes are `<path>/leases/_c_<uuid>-lease-<seq>`.
 *
 * @example
 * ```ts
 * (await zk.getChildren('/semaphores/db/leases')).every((n) => n.includes(LEASE_NAME)); // true
 * ```
 */
export const LEASE_NAME = 'lease-';

/**
 * Options of {@link InterProcessSemaphoreV2}: exactly one of `maxLeases` and `sharedCountPath`.
 *
 * @example
 * ```ts
 * new InterProcessSemaphoreV2(zk, '/semaphores/db', { sharedCountPath: '/semaphores/db-max', sharedCountSeed: 3 });
 * ```
 */
export interface InterProcessSemaphoreV2Options {
  /** A fixed number of leases. Every participant must use the same number (it is not stored). */
  readonly maxLeases?: number;
  /**
   * Read the number of leases from a Curator `SharedCount` node (4-byte big-endian int), following its
   * changes: a higher count wakes waiters at once.
   */
  readonly sharedCountPath?: string;
  /** Written to `sharedCountPath` if that node does not exist (Curator's SharedCount seed). */
  readonly sharedCountSeed?: number;
  /** Data of the lease nodes. Default: the local IP address, as Curator writes. */
  readonly nodeData?: string | Uint8Array;
}

const schema = z
  .object({
    maxLeases: z.number().int().min(1).optional(),
    sharedCountPath: z.string().optional(),
    sharedCountSeed: z.number().int().min(-2147483648).max(2147483647).optional(),
    nodeData: z.union([z.string(), z.instanceof(Uint8Array)]).optional(),
  })
  .strict();

/**
 * Curator's `InterProcessSemaphoreV2`: at most N leases held at once across processes, wire-compatible
 * (`<path>/locks` holds an inner mutex, `<path>/leases` the lease nodes; all containers). To take a
 * lease: acquire the inner mutex, create our lease node, and — still holding the mutex — wait until the
 * number of lease nodes is at most N (a children watch wakes us); then release the mutex.
 *
 * Each lease is a {@link LockHandle}: `fencingToken` (czxid), `lost` (same rules as the mutex),
 * `release()` (guaranteed delete). Timeouts and aborts delete what was created. Not re-entrant.
 *
 * @example
 * ```ts
 * const semaphore = new InterProcessSemaphoreV2(zk, '/semaphores/db', { maxLeases: 3 });
 * await using lease = await semaphore.acquire({ timeoutMs: 5_000 });
 * await query({ signal: lease.lost });
 * ```
 */
export class InterProcessSemaphoreV2 implements AsyncDisposable {
  /** The semaphore's directory. */
  readonly path: string;
  readonly #framework: ZkFramework;
  readonly #options: z.output<typeof schema>;
  readonly #lock: LockInternals;
  readonly #leases: LockInternals;
  readonly #close = new AbortController();
  readonly #held = new Set<LockNode>();
  readonly #errors = new Subject<Error>();

  constructor(framework: ZkFramework, path: string, options: InterProcessSemaphoreV2Options) {
    this.path = checkLockPath(path);
    const parsed = parseRecipeOptions('InterProcessSemaphoreV2', schema, options);
    if ((parsed.maxLeases === undefined) === (parsed.sharedCountPath === undefined)) {
      throw new InvalidArgumentError(
        'maxLeases',
        'InterProcessSemaphoreV2: give exactly one of maxLeases and sharedCountPath',
      );
    }
    if (parsed.sharedCountPath !== undefined) validatePath(parsed.sharedCountPath);
    this.#framework = framework;
    this.#options = parsed;
    const data = parsed.nodeData ?? localAddress();
    const reportError = (error: unknown): void => {
      if (!this.#errors.closed)
        this.#errors.next(error instanceof Error ? error : new Error(String(error)));
    };
    this.#lock = new LockInternals(framework, {
      basePath: `${this.path}/locks`,
      driver: standardDriver(LOCK_NAME),
      nodeData: () => data,
      reportError,
    });
    this.#leases = new LockInternals(framework, {
      basePath: `${this.path}/leases`,
      driver: standardDriver(LEASE_NAME),
      nodeData: () => data,
      reportError,
    });
  }

  /** Background failures (a clean-up after an aborted acquisition). Hot, never errors, completes on close. */
  get errors$(): Observable<Error> {
    return this.#errors.asObservable();
  }

  /** Takes one lease. Rejects with `LockTimeoutError` on timeout, the signal's reason on abort. */
  async acquire(options: LockAcquireOptions = {}): Promise<LockHandle> {
    const [lease] = await this.acquireMany(1, options);
    if (lease === undefined) throw new Error('unreachable: one lease requested');
    return lease;
  }

  /** Takes `qty` leases, all or none (those already taken are returned on failure). */
  async acquireMany(qty: number, options: LockAcquireOptions = {}): Promise<LockHandle[]> {
    if (!Number.isInteger(qty) || qty < 1)
      throw new InvalidArgumentError('qty', `must be an integer >= 1, got ${String(qty)}`);
    const ctx = new AcquireContext(this.path, options, this.#close.signal);
    const nodes: LockNode[] = [];
    try {
      for (let i = 0; i < qty; i++) nodes.push(await this.#acquireOne(ctx));
    } catch (error) {
      await Promise.all(nodes.map((node) => node.delete()));
      throw error;
    } finally {
      ctx.dispose();
    }
    for (const node of nodes) {
      this.#held.add(node);
      node.onDelete = () => this.#held.delete(node);
    }
    return nodes.map((node) => node.newHandle());
  }

  /** The current number of leases: the fixed one, or the SharedCount's value. */
  async getMaxLeases(options: { signal?: AbortSignal } = {}): Promise<number> {
    const fixed = this.#options.maxLeases;
    if (fixed !== undefined) return fixed;
    const ctx = new AcquireContext(this.path, options, this.#close.signal);
    try {
      return await this.#readMax(ctx, () => undefined);
    } finally {
      ctx.dispose();
    }
  }

  /** Full paths of the lease nodes, sorted. */
  getParticipantNodes(options: { signal?: AbortSignal } = {}): Promise<string[]> {
    return this.#leases.getParticipantNodes(options.signal);
  }

  /** Aborts pending acquisitions and returns every lease taken through this instance. Idempotent. */
  async close(): Promise<void> {
    this.#close.abort(
      new RecipeStateError('closed', `InterProcessSemaphoreV2 ${this.path} was closed`),
    );
    await Promise.all([this.#lock.settle(), this.#leases.settle()]);
    await Promise.all([...this.#held].map((node) => node.delete()));
    this.#held.clear();
    this.#errors.complete();
  }

  /** Same as {@link InterProcessSemaphoreV2.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #acquireOne(ctx: AcquireContext): Promise<LockNode> {
    const startedAt = performance.now();
    for (let retries = 0; ; retries++) {
      ctx.check();
      const mutex = await this.#lock.acquire(ctx);
      try {
        return await this.#waitForLease(ctx);
      } catch (error) {
        if (ctx.signal.aborted) throw ctx.failure();
        if (!(error instanceof NoNodeError)) throw error;
        await this.#leases.retryAfterMissingNode(ctx, error, retries, startedAt);
      } finally {
        await mutex.delete();
      }
    }
  }

  /** Holding the inner mutex: create our lease and wait until at most N lease nodes exist. */
  async #waitForLease(ctx: AcquireContext): Promise<LockNode> {
    const { node, children: first } = await this.#leases.createNode(ctx, { watchChildren: true });
    const wake = node.wrap(() => node.wake());
    try {
      let children = first;
      for (;;) {
        if (!children.includes(node.name)) throw new NoNodeError({ path: node.path });
        const max = await this.#readMax(ctx, wake);
        if (children.length <= max) {
          if (await this.#leases.grant(ctx, node)) return node;
        } else {
          await ctx.race(node.nextChange());
        }
        children = await this.#leases.getChildren(ctx, wake);
      }
    } catch (error) {
      await node.delete();
      throw error;
    }
  }

  #readMax(ctx: AcquireContext, onChange: WatchListener): Promise<number> {
    const { maxLeases, sharedCountPath, sharedCountSeed } = this.#options;
    if (maxLeases !== undefined) return Promise.resolve(maxLeases);
    return readSharedCount(
      this.#framework,
      sharedCountPath ?? '',
      sharedCountSeed,
      onChange,
      ctx.signal,
    );
  }
}
