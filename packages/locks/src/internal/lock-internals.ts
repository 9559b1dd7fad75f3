import { CreateMode, NoNodeError, WatchEventType } from '@zookit/client';
import type { NodeData, WatchListener } from '@zookit/client';
import type { ZkFramework } from '@zookit/framework';
import { OwnedNode } from '@zookit/framework/recipe-kit';

import type { RevocationRequest } from '../lock-handle.js';
import type { AcquireContext } from './acquire-context.js';
import type { LockDriver } from './lock-driver.js';
import { LockNode } from './lock-node.js';
import type { LockNodeHost } from './lock-node.js';

/** Options of {@link LockInternals}. */
export interface LockInternalsOptions {
  /** The directory of the contenders' nodes (a container). */
  readonly basePath: string;
  readonly driver: LockDriver;
  /** The data of each new node. */
  readonly nodeData: () => NodeData;
  readonly onRevoke?: ((request: RevocationRequest) => void) | undefined;
  /** Where background failures (a throwing listener) go. */
  readonly reportError: (error: unknown) => void;
}

/** How one node is created. */
export interface CreateNodeOptions {
  /** A fixed name (with `mode: Ephemeral`) instead of `lockName` + sequence. */
  readonly name?: string;
  readonly mode?: CreateMode;
  /** Also leave a children watch on the base path that wakes the node (semaphore leases). */
  readonly watchChildren?: boolean;
}

/** Options of {@link LockInternals.acquire}. */
export interface AcquireNodeOptions extends CreateNodeOptions {
  /** Granted as soon as created (Curator's read lock while holding the write lock). */
  readonly immediate?: boolean;
}

/**
 * The one lock engine every zookit lock runs on (Curator's `LockInternals`), built on the recipe kit's
 * `OwnedNode` (protected create with container parents, ownership check) and `WatcherScope`:
 * - `acquire`: create our node, then loop — sort the children (the driver's order), hold if the driver
 *   says so, else watch the node it names with `getData` and wait; on timeout, abort or any error our node
 *   is deleted before the call rejects; if our node vanished (session expiry) start again under the retry
 *   policy;
 * - a node is granted only while the session that created it is current and trusted;
 * - each node's kit `HolderGuard` fires `lost` on it at the first sign of trouble, and wakes a waiter.
 */
export class LockInternals implements LockNodeHost {
  readonly framework: ZkFramework;
  readonly basePath: string;
  readonly driver: LockDriver;
  readonly onRevoke: ((request: RevocationRequest) => void) | undefined;
  readonly #options: LockInternalsOptions;
  readonly #pending = new Set<Promise<unknown>>();

  constructor(framework: ZkFramework, options: LockInternalsOptions) {
    this.framework = framework;
    this.basePath = options.basePath;
    this.driver = options.driver;
    this.onRevoke = options.onRevoke;
    this.#options = options;
  }

  reportError(error: unknown): void {
    this.#options.reportError(error);
  }

  /** Acquires one node under the driver's rules. The node is `held` when this resolves. */
  async acquire(ctx: AcquireContext, options: AcquireNodeOptions = {}): Promise<LockNode> {
    const startedAt = performance.now();
    for (let retries = 0; ; retries++) {
      ctx.check();
      const { node, children } = await this.createNode(ctx, options);
      try {
        await this.#contend(ctx, node, children, options.immediate === true);
        return node;
      } catch (error) {
        await node.delete();
        if (ctx.signal.aborted) throw ctx.failure();
        if (!(error instanceof NoNodeError)) throw error;
        await this.retryAfterMissingNode(ctx, error, retries, startedAt);
      }
    }
  }

  /**
   * Creates our node (protected, container parents) and, in one round trip, reads it back (czxid = the
   * fencing token; ownership; a watch for deletion and revocation) and lists the contenders.
   */
  async createNode(
    ctx: AcquireContext,
    options: CreateNodeOptions = {},
  ): Promise<{ node: LockNode; children: string[] }> {
    const owned = new OwnedNode(this.framework, {
      path: `${this.basePath}/${options.name ?? this.driver.lockName}`,
      mode: options.mode ?? CreateMode.EphemeralSequential,
      data: this.#options.nodeData,
    });
    // Not aborted by the caller: an abort mid-create must not leave an orphan, so the create finishes
    // and its node is deleted (in the background when the caller has already gone).
    const creating = owned.create();
    let path: string;
    try {
      path = await ctx.race(creating);
    } catch (error) {
      this.#track(
        creating.then(
          () => owned.discard(),
          () => undefined,
        ),
      );
      throw error;
    }
    let node: LockNode | undefined;
    const ownWatch: WatchListener = (event) => node?.ownNodeWatch(event);
    const childrenWatch: WatchListener = () => node?.wake();
    try {
      const [own, children] = await Promise.all([
        ctx.race(this.framework.getData(path, { watch: ownWatch })),
        this.getChildren(ctx, options.watchChildren === true ? childrenWatch : undefined),
      ]);
      if (!owned.verifyOwnership(own.stat)) throw new NoNodeError({ path }); // created by a session now gone
      node = new LockNode(this, path, own.stat.czxid, own.stat.ephemeralOwner);
      return { node, children };
    } catch (error) {
      await owned.discard();
      throw ctx.signal.aborted ? ctx.failure() : error;
    }
  }

  /** The base path's children (`[]` when it does not exist), optionally with a watch. */
  async getChildren(ctx: AcquireContext, watch?: WatchListener): Promise<string[]> {
    try {
      // Reads are raced rather than given the signal (the framework would combine it with its close
      // signal through AbortSignal.any on every call); an abandoned read just finishes in the background.
      return await ctx.race(
        this.framework.getChildren(this.basePath, watch === undefined ? {} : { watch }),
      );
    } catch (error) {
      if (error instanceof NoNodeError) return [];
      throw error;
    }
  }

  /** Grants `node` if the session that created it is current and trusted; else waits for a connection and throws NoNode if it is gone. */
  async grant(ctx: AcquireContext, node: LockNode): Promise<boolean> {
    if (node.gone) throw new NoNodeError({ path: node.path });
    if (node.trusted()) {
      node.grant();
      return true;
    }
    await ctx.race(this.framework.waitForConnection({ signal: ctx.signal }));
    const stat = await this.framework.exists(node.path, { signal: ctx.signal });
    if (stat?.ephemeralOwner !== node.sessionId || this.framework.sessionId !== node.sessionId) {
      throw new NoNodeError({ path: node.path });
    }
    return false; // still ours: look at the contenders again
  }

  /** Curator's NoNode retry in `attemptLock`: start again if the retry policy allows, else rethrow. */
  async retryAfterMissingNode(
    ctx: AcquireContext,
    error: unknown,
    retries: number,
    startedAt: number,
  ): Promise<void> {
    const decision = this.framework.retryPolicy.allowRetry(retries, performance.now() - startedAt);
    if (!decision.retry) throw error;
    await ctx.sleep(decision.sleepMs);
  }

  /** Full paths of the contenders, in lock order (Curator's `getParticipantNodes`). */
  async getParticipantNodes(signal?: AbortSignal): Promise<string[]> {
    try {
      const children = await this.framework.getChildren(
        this.basePath,
        signal === undefined ? {} : { signal },
      );
      return this.driver.sort(children).map((c) => `${this.basePath}/${c}`);
    } catch (error) {
      if (error instanceof NoNodeError) return [];
      throw error;
    }
  }

  /** Waits for background clean-ups started by aborted acquisitions. */
  async settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  async #contend(
    ctx: AcquireContext,
    node: LockNode,
    first: string[],
    immediate: boolean,
  ): Promise<void> {
    let children = first;
    for (;;) {
      const decision = immediate
        ? { holds: true as const }
        : this.driver.decide(this.driver.sort(children), node.name, this.basePath);
      if (decision.holds) {
        if (await this.grant(ctx, node)) return;
      } else {
        const changed = node.nextChange();
        let gone = false;
        const watching = await this.#watch(ctx, node, decision.watch, () => (gone = true));
        if (watching) await ctx.race(changed);
        if (decision.holdsWhenGone && (gone || !watching) && (await this.grant(ctx, node))) return;
      }
      children = await this.getChildren(ctx);
    }
  }

  /** Curator's predecessor watch: `getData` with a watch (no watch is left on a missing node). */
  async #watch(
    ctx: AcquireContext,
    node: LockNode,
    name: string,
    onDeleted: () => void,
  ): Promise<boolean> {
    const watch = node.wrap((event) => {
      if (event.type === WatchEventType.Deleted) onDeleted();
      node.wake();
    });
    try {
      await ctx.race(this.framework.getData(`${this.basePath}/${name}`, { watch }));
      return true;
    } catch (error) {
      if (error instanceof NoNodeError) return false;
      throw error;
    }
  }

  #track(task: Promise<unknown>): void {
    const tracked = task.catch((error: unknown) => this.reportError(error));
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }
}
