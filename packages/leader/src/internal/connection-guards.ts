import { ClientClosedError } from '@zookit/client';
import type { ZkFramework } from '@zookit/framework';

/**
 * Awaits `work` (a deletion that never rejects, e.g. `OwnedNode.close()`) while the framework is connected;
 * otherwise lets it finish in the background. A holder that leaves while disconnected must not wait out the
 * retry policy: its guaranteed delete keeps going, and its ephemeral node dies with the session anyway.
 */
export async function untilDoneIfConnected(
  framework: ZkFramework,
  work: Promise<void>,
): Promise<void> {
  if (framework.isConnected()) await work;
  else void work.catch(() => undefined);
}

/** Connected to a server that is part of the quorum (`connected` or `reconnected`, not `readOnly`). */
export function writableConnection(framework: ZkFramework): boolean {
  const state = framework.connectionState?.state;
  return state === 'connected' || state === 'reconnected';
}

/** Resolves once the connection is writable again; rejects with the signal's reason on abort or on close. */
export function whenWritable(framework: ZkFramework, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    let done = false;
    const finish = (outcome: () => void): void => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      queueMicrotask(() => subscription.unsubscribe());
      outcome();
    };
    const onAbort = (): void => finish(() => reject(signal.reason as Error));
    const subscription = framework.connectionState$.subscribe({
      next: (e) => {
        if (e.state === 'connected' || e.state === 'reconnected') finish(resolve);
      },
      complete: () => finish(() => reject(new ClientClosedError())),
    });
    if (!done) signal.addEventListener('abort', onAbort, { once: true });
  });
}
