import type { Unsubscribe } from '@zookit/client';
import type { Observable } from 'rxjs';

/**
 * The plain-listener adapter over a recipe's or the framework's stream (ARCHITECTURE §6): calls `listener`
 * on every value, sends what it throws to `report` (an `errors$`), and stops when the returned function is
 * called or `signal` aborts. It leaves no listener on a long-lived signal after unsubscribing.
 *
 * @example
 * ```ts
 * onLeadershipChange(listener: (leading: boolean) => void, options: { signal?: AbortSignal } = {}) {
 *   return listen(this.leadership$, listener, (e) => this.#report(e), options.signal);
 * }
 * ```
 */
export function listen<T>(
  source: Observable<T>,
  listener: (value: T) => void,
  report: (error: unknown) => void,
  signal?: AbortSignal,
): Unsubscribe {
  if (signal?.aborted === true) return () => undefined;
  const subscription = source.subscribe((value) => {
    try {
      listener(value);
    } catch (error) {
      report(error);
    }
  });
  if (signal === undefined) return () => subscription.unsubscribe();
  const onAbort = (): void => subscription.unsubscribe();
  signal.addEventListener('abort', onAbort, { once: true });
  return () => {
    signal.removeEventListener('abort', onAbort);
    subscription.unsubscribe();
  };
}
