import type { Unsubscribe } from '@zookit/client';
import type { Observable } from 'rxjs';

/**
 * The plain-listener adapter of a recipe stream (ARCHITECTURE §6): calls `listener` on every value,
 * sends what it throws to `report` (the recipe's `errors$`), and unsubscribes on the returned function or
 * when `signal` aborts.
 */
export function listen<T>(
  source: Observable<T>,
  listener: (value: T) => void,
  report: (error: unknown) => void,
  signal: AbortSignal | undefined,
): Unsubscribe {
  const subscription = source.subscribe((value) => {
    try {
      listener(value);
    } catch (error) {
      report(error);
    }
  });
  const unsubscribe = (): void => subscription.unsubscribe();
  signal?.addEventListener('abort', unsubscribe, { once: true });
  return unsubscribe;
}
