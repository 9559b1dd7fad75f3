import { AsyncLocalStorage } from 'node:async_hooks';

import type { LockHandle } from '../lock-handle.js';
import type { LockNode } from './lock-node.js';

/** What one async call chain holds of one lock instance. */
export interface ChainHold {
  readonly node: LockNode;
  /** Handles taken in this chain, most recent last (for `mutex.release()`). */
  readonly handles: LockHandle[];
}

// The JavaScript analogue of Curator's per-thread `LockData` map: scoped by `withLock`, so it follows the
// callback's async call chain (and the tasks it starts) and nothing else.
const storage = new AsyncLocalStorage<ReadonlyMap<object, ChainHold>>();

/** The hold of `owner` in the current async call chain, if any. */
export function currentHold(owner: object): ChainHold | undefined {
  return storage.getStore()?.get(owner);
}

/** Runs `fn` with `owner` marked as held by `hold` in its async call chain. */
export function runHolding<T>(owner: object, hold: ChainHold, fn: () => T): T {
  const next = new Map(storage.getStore());
  next.set(owner, hold);
  return storage.run(next, fn);
}
