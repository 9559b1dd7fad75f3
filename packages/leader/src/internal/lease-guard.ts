import type { ConnectionStateEvent, ZkFramework } from '@zookit/framework';
import type { Subscription } from 'rxjs';

/** Why a {@link LeaseGuard} fired. */
export type LeaseGuardReason = 'leaseExpired' | 'frameworkClosed';

/**
 * Two holder-side rules the recipe kit's `SessionReconciler` does not cover (yet):
 *
 * - ARCHITECTURE §5: a holder gives up at the framework's `leaseDeadline` even under the `session` error
 *   policy, where `suspended` is not an error state and `lost` only comes a margin later. While suspended
 *   under a policy that tolerates it, a timer fires at the suspended event's `leaseDeadline`.
 * - Closing the framework posts no `lost` (Curator's rule): `connectionState$` just completes. A holder must
 *   not go on believing it leads on a session that is being closed, so completion fires too.
 *
 * Only invalidation lives here; recovery stays in the reconciler.
 */
export class LeaseGuard {
  readonly #framework: ZkFramework;
  readonly #onExpire: (reason: LeaseGuardReason) => void;
  #subscription: Subscription | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(framework: ZkFramework, onExpire: (reason: LeaseGuardReason) => void) {
    this.#framework = framework;
    this.#onExpire = onExpire;
  }

  start(): void {
    if (this.#subscription !== undefined || this.#stopped) return;
    this.#subscription = this.#framework.connectionState$.subscribe({
      next: (event) => this.#onState(event),
      complete: () => {
        this.#clear();
        if (!this.#stopped) this.#onExpire('frameworkClosed');
      },
    });
  }

  stop(): void {
    this.#stopped = true;
    this.#clear();
    this.#subscription?.unsubscribe();
  }

  #onState(event: ConnectionStateEvent): void {
    this.#clear();
    // Under the standard policy `suspended` already invalidated; `lost` always does.
    if (event.state !== 'suspended' || this.#framework.isErrorState(event)) return;
    const delay = Math.max(0, event.leaseDeadline - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#stopped) this.#onExpire('leaseExpired');
    }, delay);
  }

  #clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
