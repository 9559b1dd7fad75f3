import type { ZkError } from '../errors.js';
import type { SessionEvent, SessionListener } from '../zk-client.js';

/**
 * The listeners of a wire session's events and the callers waiting for its next `connected`. A listener
 * that throws does not stop the others: its error goes to `onListenerError`.
 *
 * @example
 * ```ts
 * const listeners = new SessionListeners((e) => console.error(e));
 * const off = listeners.add((e) => console.log(e.type));
 * listeners.emit({ type: 'disconnected' });
 * ```
 */
export class SessionListeners {
  private readonly listeners = new Set<SessionListener>();
  private waiters: { resolve(): void; reject(error: ZkError): void }[] = [];
  private readonly onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void) {
    this.onListenerError = onListenerError;
  }

  /**
   * Subscribes; returns the unsubscribe. Each call is its own subscription, even of the same function (as
   * on the native transport): the Set holds a fresh wrapper.
   */
  add(listener: SessionListener): () => void {
    const subscription: SessionListener = (e) => {
      listener(e);
    };
    this.listeners.add(subscription);
    return () => this.listeners.delete(subscription);
  }

  /** Calls every listener (a snapshot: one added during the call waits for the next event). */
  emit(event: SessionEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (e) {
        this.onListenerError(e);
      }
    }
  }

  /** Resolves on {@link SessionListeners.connected}, rejects on {@link SessionListeners.ended}. */
  nextConnected(): Promise<void> {
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Releases the callers of `nextConnected`. */
  connected(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve();
  }

  /** Fails the callers of `nextConnected`: the session is over. */
  ended(error: () => ZkError): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(error());
  }
}
