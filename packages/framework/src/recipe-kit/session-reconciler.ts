import { withRetry } from '@zookit/retry';
import type { RetryPolicy } from '@zookit/retry';
import type { Subscription } from 'rxjs';

import type { ConnectionStateEvent } from '../connection/connection-state.js';
import { isConnectedState } from '../connection/connection-state.js';
import type { ZkFramework } from '../zk-framework.js';
import { HolderGuard } from './holder-guard.js';

/**
 * Why a reconcile run happens.
 *
 * @example
 * ```ts
 * reconciler.trigger('watchFired');
 * ```
 */
export type ReconcileReason =
  'initial' | 'sessionReplaced' | 'reconnected' | 'ownNodeMissing' | 'watchFired' | 'manual';

/**
 * Why `invalidate` is called (decided by the kit's `HolderGuard`): the error policy says the connection is
 * in an error state (`suspended` under `standard`, `lost` always), or — under the `session` policy — the
 * connection is still suspended at the lease deadline (`leaseExpired`), after which the server may have
 * expired the session, or the framework was closed (`closed`; Curator posts no `lost` then).
 * `invalidate` may be called more than once per outage (e.g. `leaseExpired`, then `lost`).
 *
 * @example
 * ```ts
 * const invalidate = (reason: InvalidateReason) => { if (reason !== 'suspended') dropAll(); };
 * ```
 */
export type InvalidateReason = 'suspended' | 'leaseExpired' | 'lost' | 'closed';

/**
 * What one reconcile run receives.
 *
 * @example
 * ```ts
 * const reconcile = async ({ signal, reason }: ReconcileContext) => { await node.ensure(signal); };
 * ```
 */
export interface ReconcileContext {
  /** Aborted when the reconciler closes or the session is lost mid-run. */
  readonly signal: AbortSignal;
  /** The session the run started on. */
  readonly sessionId: bigint | undefined;
  readonly reason: ReconcileReason;
}

/**
 * Options of {@link SessionReconciler}.
 *
 * @example
 * ```ts
 * const options: SessionReconcilerOptions = { invalidate: () => {}, reconcile: async () => {}, onError: console.error };
 * ```
 */
export interface SessionReconcilerOptions {
  /**
   * Synchronous: drop what can no longer be trusted (leadership, lock handles, cache freshness). `event` is
   * the state that caused it (`undefined` for `closed`).
   */
  readonly invalidate: (reason: InvalidateReason, event: ConnectionStateEvent | undefined) => void;
  /** Async and idempotent: make the world match the recipe's intent. */
  readonly reconcile: (context: ReconcileContext) => Promise<void>;
  /** Failures of runs (after retries) go here. */
  readonly onError: (error: unknown) => void;
  /** Also reconcile after a reconnect to the same session (LeaderLatch does). Default false. */
  readonly reconcileOnReconnect?: boolean;
  /** Policy of each run. Default: the framework's. */
  readonly retryPolicy?: RetryPolicy;
}

// A stronger reason absorbs a weaker one when triggers are coalesced.
const strength: Record<ReconcileReason, number> = {
  sessionReplaced: 5,
  initial: 4,
  ownNodeMissing: 3,
  reconnected: 2,
  watchFired: 1,
  manual: 0,
};

/**
 * The one engine that re-establishes a recipe's state after connection trouble (see
 * `docs/concepts/session-recovery.md`). The recipe gives a synchronous `invalidate` and an idempotent
 * async `reconcile`; the reconciler calls `invalidate` as soon as the error policy says the connection is
 * in an error state (and, under the `session` policy, when still suspended at the lease deadline; and when
 * the framework closes), and runs `reconcile` after the first connection, after a new session, on
 * `trigger(reason)` and (opt-in) after any reconnect. Runs are single-flight and coalesced (triggers during
 * a run cause exactly one more), each under the retry policy, only while connected, aborted by `lost` and
 * by `close()`; failures go to `onError`.
 *
 * @example
 * ```ts
 * const reconciler = new SessionReconciler(zk, {
 *   invalidate: () => leadership.next(false),
 *   reconcile: async ({ signal }) => { await node.ensure(signal); await checkLeadership(signal); },
 *   onError: (e) => errors.next(e),
 *   reconcileOnReconnect: true,
 * });
 * reconciler.start();
 * ```
 */
export class SessionReconciler {
  readonly #framework: ZkFramework;
  readonly #options: SessionReconcilerOptions;
  readonly #close = new AbortController();
  #subscription: Subscription | undefined;
  #pending: ReconcileReason | undefined;
  #loop: Promise<void> | undefined;
  #run: AbortController | undefined;
  #initialDone = false;
  #runs = 0;
  readonly #guard: HolderGuard;

  constructor(framework: ZkFramework, options: SessionReconcilerOptions) {
    this.#framework = framework;
    this.#options = options;
    this.#guard = new HolderGuard(framework, {
      once: false,
      onTrouble: (reason, event) => {
        // Lost: the running attempt works on a dead session; stop it so the next run starts fresh.
        if (reason === 'lost') this.#run?.abort(new Error('session lost'));
        // No sessionId is given, so the guard never reports `sessionChanged`: new sessions are runs here.
        if (reason !== 'sessionChanged') this.#invalidate(reason, event);
      },
    });
  }

  /** Number of reconcile runs started so far (for tests and diagnostics). */
  get runs(): number {
    return this.#runs;
  }

  /** Subscribes to connection states; reconciles at once if connected. Idempotent. */
  start(): void {
    if (this.#subscription !== undefined || this.#close.signal.aborted) return;
    this.#guard.start();
    this.#subscription = this.#framework.connectionState$.subscribe((event) =>
      this.#onState(event),
    );
  }

  /** Asks for a reconcile run (coalesced with any pending one). Ignored after close. */
  trigger(reason: ReconcileReason): void {
    if (this.#close.signal.aborted) return;
    if (this.#pending === undefined || strength[reason] > strength[this.#pending])
      this.#pending = reason;
    this.#kick();
  }

  /** Resolves when no run is in progress or pending-and-runnable. */
  async whenIdle(): Promise<void> {
    while (this.#loop !== undefined) await this.#loop;
  }

  /** Aborts the current run and stops. Idempotent. */
  async close(): Promise<void> {
    if (!this.#close.signal.aborted) {
      this.#close.abort(new Error('reconciler closed'));
      this.#guard.stop();
      this.#subscription?.unsubscribe();
      this.#pending = undefined;
    }
    await this.whenIdle();
  }

  #onState(event: ConnectionStateEvent): void {
    // Error states and the lease deadline are the guard's (see the constructor).
    if (!isConnectedState(event.state)) return;
    if (!this.#initialDone) {
      this.trigger('initial');
      return;
    }
    if (event.state === 'reconnected' && event.sessionChanged) this.trigger('sessionReplaced');
    else if (event.state === 'reconnected' && this.#options.reconcileOnReconnect === true)
      this.trigger('reconnected');
    else this.#kick(); // a trigger that arrived while disconnected runs now
  }

  #invalidate(reason: InvalidateReason, event: ConnectionStateEvent | undefined): void {
    try {
      this.#options.invalidate(reason, event);
    } catch (error) {
      this.#options.onError(error);
    }
  }

  #kick(): void {
    if (this.#loop !== undefined || this.#pending === undefined) return;
    if (!this.#framework.isConnected()) return; // resumed by the next connected state
    this.#loop = this.#drain().finally(() => {
      this.#loop = undefined;
      // A run aborted by `lost` leaves its trigger pending; it resumes on reconnection via #onState.
    });
  }

  async #drain(): Promise<void> {
    while (
      this.#pending !== undefined &&
      !this.#close.signal.aborted &&
      this.#framework.isConnected()
    ) {
      const reason = this.#pending;
      this.#pending = undefined;
      const run = new AbortController();
      this.#run = run;
      const signal = AbortSignal.any([run.signal, this.#close.signal]);
      const policy = this.#options.retryPolicy ?? this.#framework.retryPolicy;
      this.#runs++;
      if (reason === 'initial' || reason === 'sessionReplaced') this.#initialDone = true;
      try {
        await withRetry(
          policy,
          () => this.#options.reconcile({ signal, sessionId: this.#framework.sessionId, reason }),
          { signal },
        );
      } catch (error) {
        if (this.#close.signal.aborted) return;
        if (run.signal.aborted) {
          // Aborted by `lost`: run again once a session is back.
          if (this.#pending === undefined) this.#pending = reason;
          continue;
        }
        this.#options.onError(error);
      } finally {
        if (this.#run === run) this.#run = undefined;
      }
    }
  }
}
