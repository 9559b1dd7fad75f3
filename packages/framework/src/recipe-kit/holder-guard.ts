import type { Subscription } from 'rxjs';

import type { ConnectionStateEvent } from '../connection/connection-state.js';
import { isConnectedState } from '../connection/connection-state.js';
import type { ZkFramework } from '../zk-framework.js';

/**
 * Why a holder can no longer trust what it holds (a lock node, a leadership term, a cached view):
 * - `suspended`: the connection dropped and the framework's error policy counts that as an error
 *   (`standard`);
 * - `lost`: the session is gone, or presumed gone;
 * - `leaseExpired`: still suspended at the framework's `leaseDeadline` (last server contact + negotiated
 *   timeout − margin) under a policy that tolerates `suspended` (`session`): after it, the server may have
 *   expired the session and handed what we hold to someone else;
 * - `sessionChanged`: connected on another session than the one that holds (only with `sessionId`);
 * - `closed`: the framework was closed (`connectionState$` completed; Curator posts no `lost` then).
 *
 * @example
 * ```ts
 * const onTrouble = (reason: HolderGuardReason) => { if (reason !== 'suspended') dropAll(); };
 * ```
 */
export type HolderGuardReason = 'suspended' | 'lost' | 'leaseExpired' | 'sessionChanged' | 'closed';

/**
 * Options of {@link HolderGuard}.
 *
 * @example
 * ```ts
 * const options: HolderGuardOptions = { sessionId: node.ownerSessionId, onTrouble: (r) => release(r) };
 * ```
 */
export interface HolderGuardOptions {
  /** Synchronous; its exceptions are not caught (wrap it if it may throw). */
  readonly onTrouble: (reason: HolderGuardReason, event: ConnectionStateEvent | undefined) => void;
  /** The session that holds: a connection on any other one is `sessionChanged`. Default: not checked. */
  readonly sessionId?: bigint | undefined;
  /**
   * `true` (default): fire once, then stop — what a holder needs, since what it held stays lost.
   * `false`: report every sign of trouble (e.g. `leaseExpired`, then `lost` in one outage), for owners that
   * recover and hold again (the session reconciler, lock waiters).
   */
  readonly once?: boolean;
}

/**
 * The one place that decides, from the framework's connection states, its error policy and its lease
 * deadline, when a holder must stop trusting what it holds (ARCHITECTURE §5). Recipes never watch
 * connection states for this themselves: locks put one on every node, and the `SessionReconciler` uses one
 * to call `invalidate`.
 *
 * `start()` subscribes (the current state, replayed, is judged like any other); `stop()` is idempotent and
 * clears the lease timer, so no handle is left behind.
 *
 * @example
 * ```ts
 * const guard = new HolderGuard(zk, {
 *   sessionId: zk.sessionId,
 *   onTrouble: (reason) => controller.abort(new Error(`lock lost: ${reason}`)),
 * });
 * guard.start();
 * if (!guard.trusted()) guard.stop();
 * ```
 */
export class HolderGuard {
  readonly #framework: ZkFramework;
  readonly #options: HolderGuardOptions;
  readonly #once: boolean;
  #subscription: Subscription | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reason: HolderGuardReason | undefined;
  #stopped = false;

  constructor(framework: ZkFramework, options: HolderGuardOptions) {
    this.#framework = framework;
    this.#options = options;
    this.#once = options.once ?? true;
  }

  /** The first reason it fired with, `undefined` while it has not. */
  get reason(): HolderGuardReason | undefined {
    return this.#reason;
  }

  /** Subscribes to connection states. Idempotent; ignored after `stop()`. */
  start(): void {
    if (this.#subscription !== undefined || this.#stopped) return;
    const subscription = this.#framework.connectionState$.subscribe({
      next: (event) => this.#onState(event),
      complete: () => {
        this.#clearTimer();
        this.#fire('closed', undefined);
      },
    });
    // A replayed state may already have stopped a once-guard during subscribe().
    if (this.#stopped) subscription.unsubscribe();
    else this.#subscription = subscription;
  }

  /** Unsubscribes and clears the lease timer. Idempotent. */
  stop(): void {
    this.#stopped = true;
    this.#clearTimer();
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
  }

  /**
   * True if what is held may be trusted right now: a once-guard has not fired, the state is not an error
   * state, the lease deadline has not passed, and (with `sessionId`) the holding session is current.
   */
  trusted(): boolean {
    if (this.#once && this.#reason !== undefined) return false;
    const current = this.#framework.connectionState;
    if (current === undefined || this.#framework.isErrorState(current)) return false;
    if (current.state === 'suspended' && performance.now() >= current.leaseDeadline) return false;
    const { sessionId } = this.#options;
    return sessionId === undefined || this.#framework.sessionId === sessionId;
  }

  #onState(event: ConnectionStateEvent): void {
    this.#clearTimer();
    if (this.#framework.isErrorState(event)) {
      this.#fire(event.state === 'lost' ? 'lost' : 'suspended', event);
    } else if (event.state === 'suspended') {
      // The policy tolerates a short disconnect, but never past the lease deadline.
      this.#armLeaseTimer(event);
    } else if (
      isConnectedState(event.state) &&
      this.#options.sessionId !== undefined &&
      event.sessionId !== this.#options.sessionId
    ) {
      this.#fire('sessionChanged', event);
    }
  }

  #fire(reason: HolderGuardReason, event: ConnectionStateEvent | undefined): void {
    if (this.#stopped) return;
    this.#reason ??= reason;
    if (this.#once) this.stop();
    this.#options.onTrouble(reason, event);
  }

  #armLeaseTimer(event: ConnectionStateEvent & { state: 'suspended' }): void {
    // libuv measures timers from its cached loop time, which lags performance.now() by however long the
    // current tick has run, so a timer can fire a few ms early: re-arm for what is left.
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        if (performance.now() < event.leaseDeadline) this.#armLeaseTimer(event);
        else this.#fire('leaseExpired', event);
      },
      Math.max(0, Math.ceil(event.leaseDeadline - performance.now())),
    );
  }

  #clearTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
