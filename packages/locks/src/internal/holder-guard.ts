import type { ConnectionStateEvent, ZkFramework } from '@zookit/framework';
import type { Subscription } from 'rxjs';

import type { LockNode } from './lock-node.js';

/**
 * Tells every live lock node of one engine about connection trouble, so that a holder learns at once
 * that it can no longer trust its lock:
 * - an error state under the framework's policy (`suspended` under `standard`, `lost` always);
 * - the lease deadline (last server contact + negotiated timeout − margin) passing while suspended, under
 *   EVERY policy: after it, the server may have expired the session and another client may hold the lock;
 * - a connection on another session than the one that created the node.
 * Waiters are woken by `lost` and new sessions, so they look at their node again.
 */
export class HolderGuard {
  readonly #framework: ZkFramework;
  readonly #nodes = new Set<LockNode>();
  #subscription: Subscription | undefined;
  #deadlineTimer: NodeJS.Timeout | undefined;
  #deadline: number | undefined;

  constructor(framework: ZkFramework) {
    this.#framework = framework;
  }

  track(node: LockNode): void {
    this.#nodes.add(node);
    if (this.#subscription === undefined) {
      // Replays the current state, which is checked like any other.
      this.#subscription = this.#framework.connectionState$.subscribe({
        next: (event) => this.#onState(event),
        complete: () => {
          this.#clearDeadline();
          this.#all('closed');
        },
      });
    } else {
      const current = this.#framework.connectionState;
      if (current !== undefined) this.#check(node, current);
    }
  }

  untrack(node: LockNode): void {
    this.#nodes.delete(node);
    if (this.#nodes.size > 0) return;
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    this.#clearDeadline();
  }

  /** True if `node` may be granted now: no error state, and the current session created it. */
  trusted(node: LockNode): boolean {
    const current = this.#framework.connectionState;
    if (current === undefined || this.#framework.isErrorState(current)) return false;
    if (
      current.state === 'suspended' &&
      this.#deadline !== undefined &&
      performance.now() >= this.#deadline
    )
      return false;
    return this.#framework.sessionId === node.sessionId;
  }

  #onState(event: ConnectionStateEvent): void {
    if (event.state === 'suspended') this.#armDeadline(event.leaseDeadline);
    else this.#clearDeadline();
    for (const node of [...this.#nodes]) this.#check(node, event);
  }

  #check(node: LockNode, event: ConnectionStateEvent): void {
    if (event.state === 'lost') node.onTrouble('lost');
    else if (this.#framework.isErrorState(event)) node.onTrouble('suspended');
    else if (event.state === 'suspended') {
      if (this.#deadline !== undefined && performance.now() >= this.#deadline)
        node.onTrouble('leaseDeadline');
    } else if (event.sessionId !== node.sessionId) node.onTrouble('sessionChanged');
  }

  #armDeadline(deadline: number): void {
    if (this.#deadline === deadline && this.#deadlineTimer !== undefined) return;
    this.#clearDeadline();
    this.#deadline = deadline;
    this.#deadlineTimer = setTimeout(
      () => {
        this.#deadlineTimer = undefined;
        this.#all('leaseDeadline');
      },
      Math.max(0, deadline - performance.now()),
    );
  }

  #clearDeadline(): void {
    clearTimeout(this.#deadlineTimer);
    this.#deadlineTimer = undefined;
    this.#deadline = undefined;
  }

  #all(reason: 'leaseDeadline' | 'closed'): void {
    for (const node of [...this.#nodes]) node.onTrouble(reason);
  }
}
