/**
 * Waits for `promise` with the `{ signal, timeoutMs }` every zookit wait takes: an abort rejects with the
 * signal's reason, a timeout with `onTimeout()`. Leaves no timer or listener behind.
 *
 * @example
 * ```ts
 * await waitWith(engine.whenInitialized(), { timeoutMs: 5_000 }, () => new CacheTimeoutError(path, 5_000));
 * ```
 */
export function waitWith<T>(
  promise: Promise<T>,
  options: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined },
  onTimeout: () => Error,
): Promise<T> {
  const { signal, timeoutMs } = options;
  if (signal === undefined && timeoutMs === undefined) return promise;
  if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => finish(() => reject(signal?.reason as Error));
    function finish(settle: () => void): void {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    }
    if (timeoutMs !== undefined)
      timer = setTimeout(() => finish(() => reject(onTimeout())), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) =>
        finish(() => reject(error instanceof Error ? error : new Error(String(error)))),
    );
  });
}

/**
 * `promise`, or a rejection with the signal's reason as soon as it aborts. One listener per call, unlike
 * handing the signal to every ZooKeeper read (the framework combines it with its own per call, which
 * doubled the time to load a 10,000-node tree). `promise` keeps running; its outcome is then ignored.
 *
 * @example
 * ```ts
 * await untilAborted(loadWholeTree(), closeSignal); // rejects at once on close
 * ```
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      promise.catch(() => undefined);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
