import type { WatchListener } from '@zookit/client';

import type { ZkFramework } from '../zk-framework.js';

/**
 * Wraps the watches a recipe sets so that late callbacks are ignored: after `close()`, after
 * `invalidate()`, or when the framework has moved to another session since the watch was set (the old
 * session's watches belong to a world the recipe has already reconciled away). The native binding cannot
 * remove watches, so they are made inert instead.
 *
 * @example
 * ```ts
 * const scope = new WatcherScope(zk);
 * await zk.getData(path, { watch: scope.wrap(() => reconciler.trigger('watchFired')) });
 * scope.close(); // any later callback is dropped
 * ```
 */
export class WatcherScope {
  readonly #framework: ZkFramework;
  #generation = 0;
  #closed = false;

  constructor(framework: ZkFramework) {
    this.#framework = framework;
  }

  /** A listener that calls `listener` only while this scope, its generation and the session are current. */
  wrap(listener: WatchListener): WatchListener {
    const generation = this.#generation;
    const sessionId = this.#framework.sessionId;
    return (event) => {
      if (
        this.#closed ||
        generation !== this.#generation ||
        this.#framework.sessionId !== sessionId
      )
        return;
      listener(event);
    };
  }

  /** Makes every watch wrapped so far inert. */
  invalidate(): void {
    this.#generation++;
  }

  /** Makes every watch inert, for good. */
  close(): void {
    this.#closed = true;
    this.#generation++;
  }

  get isClosed(): boolean {
    return this.#closed;
  }
}
