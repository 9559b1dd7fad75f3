import { RecipeStateError } from '@zookit/framework';
import type { Observable } from 'rxjs';

import { LeadershipTimeoutError } from '../leadership-timeout-error.js';

/**
 * Resolves when `source` emits `true` (a replaying source answers at once). Rejects with
 * `LeadershipTimeoutError` after `timeoutMs`, with the signal's reason on abort, and with
 * `RecipeStateError` when `source` completes first (the recipe was closed) — once `closed()` settles, if
 * given, so a caller awaiting the recipe's `close()` before this promise never sees it reject unobserved.
 */
export function waitForTrue(
  source: Observable<boolean>,
  path: string,
  options: { timeoutMs?: number | undefined; signal?: AbortSignal | undefined },
  closed?: () => Promise<void>,
): Promise<void> {
  const { timeoutMs, signal } = options;
  if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // The subscription may not be assigned yet when a replayed value settles synchronously.
      queueMicrotask(() => subscription.unsubscribe());
      outcome();
    };
    const onAbort = (): void => finish(() => reject(signal?.reason as Error));
    const subscription = source.subscribe({
      next: (value) => {
        if (value) finish(resolve);
      },
      complete: () => {
        const error = new RecipeStateError(
          'closed',
          `closed while waiting for leadership of ${path}`,
        );
        if (closed === undefined) finish(() => reject(error));
        // A microtask later: `close()` completes the source before it has returned its own promise.
        else
          void Promise.resolve()
            .then(closed)
            .finally(() => finish(() => reject(error)));
      },
    });
    if (settled) return;
    if (timeoutMs !== undefined) {
      timer = setTimeout(
        () => finish(() => reject(new LeadershipTimeoutError(path, timeoutMs))),
        timeoutMs,
      );
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
