import { ClientClosedError, NoNodeError, WatchEventType, ZkError } from '@zookit/client';
import type { WatchEvent, WatchListener } from '@zookit/client';
import type { ZkFramework } from '@zookit/framework';
import { HolderGuard, WatcherScope } from '@zookit/framework/recipe-kit';
import type { HolderGuardReason } from '@zookit/framework/recipe-kit';

import { LockLostError } from '../lock-lost-error.js';
import type { LockLostReason } from '../lock-lost-error.js';
import type { LockHandle, RevocationRequest } from '../lock-handle.js';

/**
 * Data a holder finds in its node when someone asks it to let go (Curator's `REVOKE_MESSAGE`).
 *
 * @example
 * ```ts
 * await zk.setData(holderNodePath, REVOKE_MESSAGE); // what attemptRevoke does
 * ```
 */
export const REVOKE_MESSAGE = '__REVOKE__';

/** What a node needs from its engine. */
export interface LockNodeHost {
  readonly framework: ZkFramework;
  /** Where a throwing listener's error goes. */
  reportError(error: unknown): void;
  /** Called when a held node's data turns into `__REVOKE__`. */
  readonly onRevoke: ((request: RevocationRequest) => void) | undefined;
}

/**
 * One contender node, from creation to release: it wakes its waiter (predecessor gone, our node gone,
 * session trouble), becomes held, carries the `lost` signal of every handle on it, counts re-entrant
 * holds and deletes itself (guaranteed) when the last one is released or when the attempt fails.
 */
export class LockNode {
  readonly path: string;
  readonly name: string;
  /** The node's czxid. */
  readonly fencingToken: bigint;
  /** The session that created the node. */
  readonly sessionId: bigint;
  readonly #host: LockNodeHost;
  readonly #scope: WatcherScope;
  readonly #guard: HolderGuard;
  readonly #lost = new AbortController();
  readonly #wakers = new Set<() => void>();
  #state: 'contending' | 'held' | 'released' = 'contending';
  #refs = 0;
  #revocationPending = false;
  #wokenUnheard = false;
  #gone = false;
  #deleting: Promise<void> | undefined;

  constructor(host: LockNodeHost, path: string, fencingToken: bigint, sessionId: bigint) {
    this.#host = host;
    this.path = path;
    this.name = path.slice(path.lastIndexOf('/') + 1);
    this.fencingToken = fencingToken;
    this.sessionId = sessionId;
    this.#scope = new WatcherScope(host.framework);
    // Not a once-guard: a waiter must hear `lost` after `suspended`, and a holder's `lose` fires only once.
    this.#guard = new HolderGuard(host.framework, {
      sessionId,
      once: false,
      onTrouble: (reason) => this.onTrouble(lockLostReason(reason)),
    });
    this.#guard.start();
  }

  /** True if this node may be granted now: no error state, lease not expired, its session is current. */
  trusted(): boolean {
    return this.#guard.trusted();
  }

  /** True once a watch reported our node deleted (by someone else, or with its session). */
  get gone(): boolean {
    return this.#gone;
  }

  get state(): 'contending' | 'held' | 'released' {
    return this.#state;
  }

  get lost(): AbortSignal {
    return this.#lost.signal;
  }

  /** Number of handles not yet released. */
  get refs(): number {
    return this.#refs;
  }

  /** A watch listener that is inert once this node is released (or the session moved on). */
  wrap(listener: WatchListener): WatchListener {
    return this.#scope.wrap(listener);
  }

  /** Resolves at the next `wake()`, or at once if one came while nobody waited (no lost wake-ups). */
  nextChange(): Promise<void> {
    if (this.#wokenUnheard) {
      this.#wokenUnheard = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#wakers.add(resolve));
  }

  wake(): void {
    if (this.#wakers.size === 0) {
      this.#wokenUnheard = true;
      return;
    }
    const wakers = [...this.#wakers];
    this.#wakers.clear();
    for (const wake of wakers) wake();
  }

  /** The watch left on our own node by the initial read: deletion and revocation requests. */
  readonly ownNodeWatch: WatchListener = (event: WatchEvent) => {
    if (event.type === WatchEventType.Deleted) {
      this.#gone = true;
      if (this.#state === 'held') this.lose('nodeDeleted');
      else this.wake();
    } else if (event.type === WatchEventType.DataChanged && this.#state !== 'released') {
      void this.#checkRevocation();
    }
  };

  /** Connection trouble: a holder loses the lock; a waiter looks again. */
  onTrouble(reason: LockLostReason): void {
    if (this.#state === 'held') this.lose(reason);
    else if (reason !== 'suspended' && reason !== 'leaseDeadline') this.wake();
  }

  /** contending → held. */
  grant(): void {
    this.#state = 'held';
    if (this.#revocationPending) this.#notifyRevoke();
  }

  /** Fires `lost` (once). */
  lose(reason: LockLostReason): void {
    if (this.#state === 'released' || this.#lost.signal.aborted) return;
    this.#lost.abort(new LockLostError(this.path, reason));
  }

  /** One more hold on this node, as a handle of its own. */
  newHandle(): LockHandle {
    this.#refs++;
    let released = false;
    const release = async (): Promise<void> => {
      if (released) return;
      released = true;
      if (--this.#refs === 0) await this.delete();
    };
    return {
      fencingToken: this.fencingToken,
      lost: this.#lost.signal,
      nodePath: this.path,
      get released() {
        return released;
      },
      release,
      [Symbol.asyncDispose]: release,
    };
  }

  /**
   * Stops everything and deletes the node with a guaranteed delete (owner-checked, so a stale holder never
   * deletes a node of another session). A delete whose outcome is unknown keeps going in the background;
   * only a failure no retry can fix is thrown. Idempotent.
   */
  delete(): Promise<void> {
    this.#deleting ??= this.#doDelete();
    return this.#deleting;
  }

  /** Called once when the node is released or discarded (owners drop it from their sets). */
  onDelete: (() => void) | undefined;

  async #doDelete(): Promise<void> {
    this.#state = 'released';
    this.onDelete?.();
    this.#scope.close();
    this.#guard.stop();
    this.wake();
    const framework = this.#host.framework;
    try {
      await framework.delete(this.path, {
        guaranteed: true,
        quietly: true,
        ownerSessionId: this.sessionId,
      });
    } catch (error) {
      if (framework.state === 'closed' || error instanceof ClientClosedError) return; // its session is closed: node gone
      if (error instanceof ZkError && !error.outcomeUnknown && !error.retryable) throw error;
      // Unknown outcome: the framework's guaranteed delete carries on in the background.
    }
  }

  async #checkRevocation(): Promise<void> {
    try {
      const { data } = await this.#host.framework.getData(this.path, {
        watch: this.wrap(this.ownNodeWatch),
      });
      if (data.toString('utf8') !== REVOKE_MESSAGE) return;
      this.#revocationPending = true;
      if (this.#state === 'held') this.#notifyRevoke();
    } catch (error) {
      if (error instanceof NoNodeError)
        this.ownNodeWatch({ type: WatchEventType.Deleted, path: this.path });
      // Other failures: the next watch event or the connection-state handling takes over.
    }
  }

  #notifyRevoke(): void {
    const listener = this.#host.onRevoke;
    if (listener === undefined || this.#state !== 'held') return;
    this.#revocationPending = false;
    // Cooperative (Curator's protocol): the listener decides whether its holder releases.
    try {
      listener({ nodePath: this.path, fencingToken: this.fencingToken });
    } catch (error) {
      this.#host.reportError(error);
    }
  }
}

/** The kit's reason in the locks' public vocabulary (`LockLostError.reason` says `leaseDeadline`). */
function lockLostReason(reason: HolderGuardReason): LockLostReason {
  return reason === 'leaseExpired' ? 'leaseDeadline' : reason;
}
