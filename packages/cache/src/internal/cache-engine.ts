import { setMaxListeners } from 'node:events';

import { ClientClosedError, NoNodeError } from '@zookit/client';
import type { WatchListener } from '@zookit/client';
import { isConnectedState, RecipeStateError } from '@zookit/framework';
import type { Codec, ZkFramework } from '@zookit/framework';
import { RecipeLifecycle, SessionReconciler, WatcherScope } from '@zookit/framework/recipe-kit';
import type { InvalidateReason, ReconcileContext } from '@zookit/framework/recipe-kit';
import { isRetryableError, RetriesExhaustedError } from '@zookit/retry';
import { Subject } from 'rxjs';
import type { Observable, Subscription } from 'rxjs';

import type { CacheEvent } from '../cache-types.js';
import { CacheTree } from './cache-tree.js';
import { untilAborted } from './wait.js';
import type { CacheMode, TreeNode } from './cache-tree.js';

/** Settings of a {@link CacheEngine}. */
export interface CacheEngineSettings<T> {
  /** The view's class name, for messages. */
  readonly name: string;
  readonly path: string;
  readonly mode: CacheMode;
  readonly maxDepth: number;
  readonly codec: Codec<T>;
}

/** What a watch callback may reach: nothing but this slot, emptied on close. */
interface EngineSlot {
  engine: CacheEngine<unknown> | undefined;
}

type WatchKind = 'data' | 'children' | 'exists';

type ReadResult = 'ok' | 'gone';

/**
 * The one cache engine behind NodeCache, PathChildrenCache and TreeCache: Curator's TreeCache algorithm on
 * one-shot watches (works on every transport). Each read sets its watch in the same call
 * (`getData`/`getChildren` with `watch`), so a change after the read always fires and is re-read: after
 * any burst of writes the cache converges to the server's final state. Session recovery is the recipe
 * kit's: a full refresh after the first connection and after every reconnect (new session or not), which
 * emits only real differences. Internal.
 *
 * @example
 * ```ts
 * const engine = new CacheEngine(zk, { name: 'TreeCache', path: '/a', mode: 'tree', maxDepth: Infinity, codec: bytesCodec });
 * engine.start();
 * await engine.whenInitialized();
 * engine.tree.get('/a/b');
 * await engine.close();
 * ```
 */
export class CacheEngine<T> {
  readonly #framework: ZkFramework;
  readonly #settings: CacheEngineSettings<T>;
  readonly #tree: CacheTree<T>;
  readonly #events = new Subject<CacheEvent<T>>();
  readonly #errors = new Subject<Error>();
  readonly #lifecycle: RecipeLifecycle;
  readonly #reconciler: SessionReconciler;
  readonly #scope: WatcherScope;
  readonly #slot: EngineSlot;
  readonly #listeners: Readonly<Record<WatchKind, WatchListener>>;
  readonly #background = new Set<Promise<void>>();
  readonly #dirty = new Set<string>();
  readonly #initWaiters = new Set<{ resolve: () => void; reject: (error: unknown) => void }>();
  #states: Subscription | undefined;
  #closing: Promise<void> | undefined;
  #initialized = false;
  #fullRefreshOwed = false;
  #stale = false;
  #staleEpoch = 0;

  constructor(framework: ZkFramework, settings: CacheEngineSettings<T>) {
    this.#framework = framework;
    this.#settings = settings;
    this.#tree = new CacheTree<T>({
      rootPath: settings.path,
      mode: settings.mode,
      maxDepth: settings.maxDepth,
      codec: settings.codec,
      emit: (event) => {
        if (!this.#lifecycle.isClosed) this.#events.next(event);
      },
      error: (error) => this.#report(error),
    });
    this.#lifecycle = new RecipeLifecycle(settings.name, (error) => this.#report(error));
    // One abort listener per in-flight refresh (removed when it settles): a burst of watch events
    // legitimately exceeds Node's default warning threshold of 10.
    setMaxListeners(0, this.#lifecycle.closeSignal);
    this.#scope = new WatcherScope(framework);
    this.#slot = { engine: this as CacheEngine<unknown> };
    this.#listeners = watchListeners(this.#slot);
    this.#reconciler = new SessionReconciler(framework, {
      invalidate: (reason) => this.#invalidate(reason),
      reconcile: (context) => this.#reconcile(context),
      onError: (error) => this.#reconcileFailed(error),
      // Watches survive a reconnect to the same session, but reads that failed while disconnected did not
      // arm theirs: Curator's TreeCache refreshes the whole tree on RECONNECTED for the same reason.
      reconcileOnReconnect: true,
    });
  }

  get tree(): CacheTree<T> {
    return this.#tree;
  }

  get events$(): Observable<CacheEvent<T>> {
    return this.#events.asObservable();
  }

  get errors$(): Observable<Error> {
    return this.#errors.asObservable();
  }

  get lifecycle(): RecipeLifecycle {
    return this.#lifecycle;
  }

  get initialized(): boolean {
    return this.#initialized;
  }

  get stale(): boolean {
    return this.#stale;
  }

  /** Starts loading; the view awaits {@link CacheEngine.whenInitialized}. */
  start(): void {
    this.#lifecycle.start();
    this.#states = this.#framework.connectionState$.subscribe((event) => {
      // Independent of the error policy: the data may be out of date whenever we cannot hear the server.
      if (!isConnectedState(event.state)) this.#markStale();
    });
    this.#reconciler.start();
  }

  /** Resolves once the first full load is done; rejects if that load fails, or on close. */
  whenInitialized(): Promise<void> {
    if (this.#initialized) return Promise.resolve();
    if (this.#lifecycle.isClosed) return Promise.reject(this.#closedError());
    return new Promise((resolve, reject) => this.#initWaiters.add({ resolve, reject }));
  }

  /** Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#doClose();
    return this.#closing;
  }

  /** Reports a background failure (listener exceptions, etc.) on `errors$`. */
  report(error: unknown): void {
    this.#report(error);
  }

  async #doClose(): Promise<void> {
    const closing = this.#lifecycle.close();
    // Leftover server-side watches (the native binding cannot remove them) now reach an empty slot.
    this.#slot.engine = undefined;
    this.#scope.close();
    this.#states?.unsubscribe();
    await this.#reconciler.close();
    await Promise.all([...this.#background]);
    await closing;
    this.#rejectWaiters(this.#closedError());
    this.#events.complete();
    this.#errors.complete();
  }

  /** Called by a watch through the slot. */
  watchFired(path: string, kind: WatchKind): void {
    if (this.#lifecycle.isClosed) return;
    const signal = this.#lifecycle.closeSignal;
    const task =
      kind === 'data'
        ? this.#refreshData(path, signal)
        : kind === 'children'
          ? this.#refreshChildren(path, signal)
          : this.#load(this.#tree.root.path, signal);
    const tracked = untilAborted(task, signal).catch((error: unknown) =>
      this.#backgroundFailed(path, error),
    );
    this.#background.add(tracked);
    void tracked.finally(() => this.#background.delete(tracked));
  }

  // ---- reads -------------------------------------------------------------------------------------------
  // The reads take no signal: callers race the whole load with theirs (untilAborted), and `signal` here
  // only stops a cascade from issuing more reads after an abort.

  /** Reads `path` (and, recursively, every child) afresh, re-arming all watches. */
  async #load(path: string, signal: AbortSignal): Promise<void> {
    const node = this.#tree.node(path);
    if (node === undefined) return;
    const [data, children] = await Promise.all([
      this.#tree.wantsData(node) ? this.#readData(node, signal) : ('ok' as const),
      this.#tree.wantsChildren(node) ? this.#readChildren(node, signal) : undefined,
    ]);
    if (data === 'gone' || children === 'gone') {
      await this.#gone(node, signal);
      return;
    }
    if (children !== undefined)
      await Promise.all(children.map((child) => this.#load(child, signal)));
  }

  async #refreshData(path: string, signal: AbortSignal): Promise<void> {
    const node = this.#tree.node(path);
    if (node === undefined || !this.#tree.wantsData(node)) return;
    if ((await this.#readData(node, signal)) === 'gone') await this.#gone(node, signal);
  }

  async #refreshChildren(path: string, signal: AbortSignal): Promise<void> {
    const node = this.#tree.node(path);
    if (node === undefined || !this.#tree.wantsChildren(node)) return;
    const result = await this.#readChildren(node, signal, 'added');
    if (result === 'gone') await this.#gone(node, signal);
    else await Promise.all(result.map((child) => this.#load(child, signal)));
  }

  async #readData(node: TreeNode<T>, signal: AbortSignal): Promise<ReadResult> {
    signal.throwIfAborted();
    try {
      const { data, stat } = await this.#framework.getData(node.path, {
        watch: this.#scope.wrap(this.#listeners.data),
      });
      this.#tree.applyData(node.path, data, stat);
      return 'ok';
    } catch (error) {
      if (error instanceof NoNodeError) return 'gone';
      this.#skipUnreadable(error);
      return 'ok';
    }
  }

  /** Child paths to load next (all, or only the new ones), or `'gone'`. */
  async #readChildren(
    node: TreeNode<T>,
    signal: AbortSignal,
    which: 'all' | 'added' = 'all',
  ): Promise<readonly string[] | 'gone'> {
    signal.throwIfAborted();
    try {
      const { children, stat } = await this.#framework.getChildrenWithStat(node.path, {
        watch: this.#scope.wrap(this.#listeners.children),
      });
      const applied = this.#tree.applyChildren(node.path, children, stat);
      return applied === undefined ? [] : applied[which];
    } catch (error) {
      if (error instanceof NoNodeError) return 'gone';
      this.#skipUnreadable(error);
      return [];
    }
  }

  /**
   * Connection trouble is rethrown (the load is retried). Anything else (e.g. NO_AUTH on one node) is
   * reported and that node is skipped, as Curator's TreeCache does: one unreadable node must not keep the
   * rest of the tree from loading. It is read again on the next reconnect or change of its parent.
   */
  #skipUnreadable(error: unknown): void {
    if (isConnectionTrouble(error) || this.#lifecycle.isClosed) throw error;
    this.#report(error);
  }

  /** The node is gone. A non-root node is re-found by its parent's children watch; the root needs `exists`. */
  async #gone(node: TreeNode<T>, signal: AbortSignal): Promise<void> {
    // A NO_NODE for an older incarnation of the path can arrive after the parent's children read re-added
    // it (the reads' continuations interleave): removing by path would then drop the new node for good.
    if (node !== this.#tree.root && this.#tree.node(node.path) !== node) return;
    this.#tree.remove(node.path);
    if (node !== this.#tree.root) return;
    signal.throwIfAborted();
    const stat = await this.#framework.exists(node.path, {
      watch: this.#scope.wrap(this.#listeners.exists),
    });
    // Created between the failed read and `exists`: the exists watch will not fire for that, so read now.
    if (stat !== null) await this.#load(node.path, signal);
  }

  // ---- recovery ----------------------------------------------------------------------------------------

  async #reconcile({ reason, signal }: ReconcileContext): Promise<void> {
    if (
      this.#initialized &&
      !this.#fullRefreshOwed &&
      (reason === 'watchFired' || reason === 'manual')
    ) {
      const dirty = [...this.#dirty];
      this.#dirty.clear();
      try {
        for (const path of dirty) await untilAborted(this.#load(path, signal), signal);
      } catch (error) {
        for (const path of dirty) this.#dirty.add(path);
        throw error;
      }
      return;
    }
    const epoch = this.#staleEpoch;
    this.#dirty.clear();
    // Owed until a full refresh succeeds, whatever reason the retry runs under.
    this.#fullRefreshOwed = true;
    await untilAborted(this.#load(this.#tree.root.path, signal), signal);
    this.#fullRefreshOwed = false;
    if (epoch === this.#staleEpoch) this.#stale = false;
    if (!this.#initialized) {
      this.#initialized = true;
      this.#events.next({ type: 'initialized' });
      for (const waiter of this.#initWaiters) waiter.resolve();
      this.#initWaiters.clear();
    }
  }

  #invalidate(reason: InvalidateReason): void {
    this.#markStale();
    // The old session's watches are gone on the server; make any late callback of theirs inert.
    if (reason === 'lost') this.#scope.invalidate();
  }

  #markStale(): void {
    this.#stale = true;
    this.#staleEpoch++;
  }

  #reconcileFailed(error: unknown): void {
    if (isConnectionTrouble(error)) {
      // Transient: run again (the reconciler waits for a connection first). `start()` keeps waiting,
      // bounded by the caller's timeout, instead of failing for a blip.
      this.#reconciler.trigger('manual');
      return;
    }
    this.#report(error);
    if (!this.#initialized) this.#rejectWaiters(error);
  }

  #backgroundFailed(path: string, error: unknown): void {
    if (this.#lifecycle.isClosed) return;
    // Connection trouble is not news (connectionState$ says it); remember the path and re-read it once
    // connected. Anything else (e.g. NO_AUTH) is reported.
    if (!isConnectionTrouble(error)) this.#report(error);
    this.#dirty.add(path);
    this.#reconciler.trigger('watchFired');
  }

  #report(error: unknown): void {
    if (this.#errors.closed) return;
    this.#errors.next(error instanceof Error ? error : new Error(String(error)));
  }

  #rejectWaiters(error: unknown): void {
    for (const waiter of this.#initWaiters) waiter.reject(error);
    this.#initWaiters.clear();
  }

  #closedError(): RecipeStateError {
    return new RecipeStateError(
      'closed',
      `${this.#settings.name} was closed before it was initialized`,
    );
  }
}

function isConnectionTrouble(error: unknown): boolean {
  return (
    error instanceof RetriesExhaustedError ||
    isRetryableError(error) ||
    error instanceof RecipeStateError ||
    error instanceof ClientClosedError
  );
}

/**
 * The listeners handed to the server with each read. A module-level function, so their closures hold only
 * the slot (not the engine, its tree or its data): a watch left armed after close retains a few bytes.
 */
function watchListeners(slot: EngineSlot): Readonly<Record<WatchKind, WatchListener>> {
  return {
    data: (event) => slot.engine?.watchFired(event.path, 'data'),
    children: (event) => slot.engine?.watchFired(event.path, 'children'),
    exists: (event) => slot.engine?.watchFired(event.path, 'exists'),
  };
}
