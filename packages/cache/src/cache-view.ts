import type { Unsubscribe } from '@zookit/client';
import { listen } from '@zookit/framework/recipe-kit';
import type { RecipeState } from '@zookit/framework/recipe-kit';
import type { WaitOptions, ZkFramework } from '@zookit/framework';
import { ReplaySubject } from 'rxjs';
import type { Observable } from 'rxjs';

import { CacheTimeoutError } from './cache-timeout-error.js';
import type { CacheEvent, NodeSnapshot } from './cache-types.js';
import { CacheEngine } from './internal/cache-engine.js';
import type { CacheEngineSettings } from './internal/cache-engine.js';
import { waitWith } from './internal/wait.js';

/**
 * What the three caches share: lifecycle, `events$`, `errors$`, `data$`, listener adapters,
 * `whenInitialized()` and the `stale` flag, all over one internal engine. Use {@link NodeCache},
 * {@link PathChildrenCache} or {@link TreeCache}; this class is exported for typing code that accepts any
 * cache.
 *
 * @typeParam T - the decoded data of each node (the codec's type).
 * @typeParam D - what `data$` emits.
 *
 * @example
 * ```ts
 * async function logEvents(cache: CacheView<unknown, unknown>): Promise<void> {
 *   cache.onEvent((e) => console.log(e.type));
 *   await cache.whenInitialized({ timeoutMs: 5_000 });
 * }
 * ```
 */
export abstract class CacheView<T, D> implements AsyncDisposable {
  /** The cached path (relative to the framework's namespace). */
  readonly path: string;
  readonly #engine: CacheEngine<T>;
  readonly #data = new ReplaySubject<D>(1);
  readonly #coalesce: boolean;
  #scheduled = false;

  /** @internal */
  protected constructor(
    framework: ZkFramework,
    settings: CacheEngineSettings<T>,
    coalesce: boolean,
  ) {
    this.path = settings.path;
    this.#coalesce = coalesce;
    this.#engine = new CacheEngine(framework, settings);
    this.#engine.events$.subscribe({
      next: (event) => this.#onEvent(event),
      complete: () => this.#data.complete(),
    });
  }

  // ---- lifecycle -------------------------------------------------------------------------------------

  /**
   * Starts the cache and resolves after the initial load (every node read, every watch set). If the
   * framework is not connected yet, the load starts once it is. Throws `RecipeStateError` if called twice;
   * rejects with `CacheTimeoutError` after `timeoutMs` (the cache keeps trying), or the signal's reason.
   */
  async start(options: WaitOptions = {}): Promise<void> {
    this.#engine.start();
    await this.whenInitialized(options);
  }

  /** Stops: watches become inert, observables complete. Idempotent. */
  close(): Promise<void> {
    return this.#engine.close();
  }

  /** Same as {@link CacheView.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** `latent`, `started` or `closed`. */
  get state(): RecipeState {
    return this.#engine.lifecycle.state;
  }

  /** Whether the initial load is done. */
  get initialized(): boolean {
    return this.#engine.initialized;
  }

  /**
   * True from the moment the connection is suspended or lost until the cache has re-read everything after
   * reconnecting. While stale, reads still answer with the last data seen.
   */
  get stale(): boolean {
    return this.#engine.stale;
  }

  /** Resolves once the initial load is done (at once if it is). */
  whenInitialized(options: WaitOptions = {}): Promise<void> {
    return waitWith(
      this.#engine.whenInitialized(),
      options,
      () => new CacheTimeoutError(this.path, options.timeoutMs ?? 0),
    );
  }

  // ---- observables and listeners ---------------------------------------------------------------------

  /**
   * `created` / `changed` / `deleted` with previous and current snapshots, then `initialized` once after
   * the initial load (the initial nodes arrive as `created` before it). Hot, no replay; completes on close.
   * Connection states are not mixed in: combine with `framework.connectionState$` if needed.
   */
  get events$(): Observable<CacheEvent<T>> {
    return this.#engine.events$;
  }

  /**
   * Background failures: data the codec rejects (`SchemaViolationError` with path and issues; the last
   * valid value is kept), permission errors, listener exceptions. Hot, never errors, completes on close.
   */
  get errors$(): Observable<Error> {
    return this.#engine.errors$;
  }

  /** The cache's current data; replays the latest (first emitted after the initial load); completes on close. */
  get data$(): Observable<D> {
    return this.#data.asObservable();
  }

  /** Calls `listener` on every event; its exceptions go to `errors$`. */
  onEvent(
    listener: (event: CacheEvent<T>) => void,
    options: { signal?: AbortSignal } = {},
  ): Unsubscribe {
    return listen(this.events$, listener, (e) => this.#engine.report(e), options.signal);
  }

  /** Calls `listener` with the latest data now (if loaded) and after every change. */
  onChange(listener: (data: D) => void, options: { signal?: AbortSignal } = {}): Unsubscribe {
    return listen(this.data$, listener, (e) => this.#engine.report(e), options.signal);
  }

  /** Calls `listener` with every background failure. */
  onError(listener: (error: Error) => void, options: { signal?: AbortSignal } = {}): Unsubscribe {
    // A throwing error listener is dropped: reporting it to errors$ would call this listener again.
    return listen(this.errors$, listener, () => undefined, options.signal);
  }

  // ---- for the views ---------------------------------------------------------------------------------

  /** @internal The snapshot of one path. */
  protected snapshotOf(path: string): NodeSnapshot<T> | undefined {
    return this.#engine.tree.get(path);
  }

  /** @internal Every valid snapshot, sorted by path. */
  protected allSnapshots(): NodeSnapshot<T>[] {
    return [...this.#engine.tree.snapshots()].sort((a, b) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
    );
  }

  /** @internal Number of valid snapshots. */
  protected snapshotCount(): number {
    return this.#engine.tree.size;
  }

  /** @internal Names of the cached children of `path`, or undefined if `path` is not cached. */
  protected childrenOf(path: string): string[] | undefined {
    const children = this.#engine.tree.node(path)?.children;
    return children === undefined ? undefined : [...children].sort();
  }

  /** @internal What `data$` emits now. */
  protected abstract currentData(): D;

  #onEvent(event: CacheEvent<T>): void {
    if (event.type === 'initialized') {
      this.#data.next(this.currentData());
      return;
    }
    if (!this.#engine.initialized) return;
    if (!this.#coalesce) {
      this.#data.next(this.currentData());
      return;
    }
    // A burst of child events becomes one emission: building a whole map per event would be quadratic.
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      if (this.state !== 'closed') this.#data.next(this.currentData());
    });
  }
}
