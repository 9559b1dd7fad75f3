import { InvalidArgumentError } from '@zookit/client';

import { LockTimeoutError } from '../lock-timeout-error.js';
import type { LockAcquireOptions } from '../lock-handle.js';

/**
 * One acquisition's time budget and cancellation: the caller's signal, the recipe's close signal and the
 * timeout, as one `signal`. `failure()` is what to throw once it is aborted (a `LockTimeoutError` for our
 * own timeout, the caller's reason otherwise). `dispose()` clears the timer (no leaked handles).
 */
export class AcquireContext {
  readonly signal: AbortSignal;
  readonly #path: string;
  readonly #timeoutMs: number | undefined;
  readonly #controller: AbortController | undefined;
  readonly #sources: AbortSignal[];
  #timedOut = false;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #onSourceAbort = (event: Event): void => {
    this.#controller?.abort((event.target as AbortSignal).reason);
  };

  constructor(path: string, options: LockAcquireOptions, closeSignal: AbortSignal) {
    const { timeoutMs, signal } = options;
    if (timeoutMs !== undefined && (!Number.isFinite(timeoutMs) || timeoutMs < 0)) {
      throw new InvalidArgumentError(
        'timeoutMs',
        `must be a finite number >= 0, got ${String(timeoutMs)}`,
      );
    }
    this.#path = path;
    this.#timeoutMs = timeoutMs;
    if (timeoutMs === undefined && signal === undefined) {
      // Nothing to combine (the common case): no controller, no listeners.
      this.signal = closeSignal;
      this.#sources = [];
      this.#controller = undefined;
      return;
    }
    const controller = new AbortController();
    this.#controller = controller;
    this.signal = controller.signal;
    // Plain listeners removed by dispose(), not AbortSignal.any: composites of the long-lived close signal
    // pile up in it until garbage collection, which costs every later acquisition.
    this.#sources = signal === undefined ? [closeSignal] : [closeSignal, signal];
    for (const source of this.#sources) {
      if (source.aborted) {
        controller.abort(source.reason);
        break;
      }
      source.addEventListener('abort', this.#onSourceAbort, { once: true });
    }
    if (timeoutMs !== undefined && !this.signal.aborted) {
      this.#timer = setTimeout(() => {
        this.#timedOut = true;
        controller.abort(new LockTimeoutError(path, timeoutMs));
      }, timeoutMs);
    }
  }

  /** The error to throw now that `signal` is aborted (the caller's own reason, as given, for a user abort). */
  failure(): Error {
    if (this.#timedOut && this.#timeoutMs !== undefined)
      return new LockTimeoutError(this.#path, this.#timeoutMs);
    // Typed as Error for the promise plumbing; a non-Error reason is passed through untouched.
    return this.signal.reason as Error;
  }

  /** Throws `failure()` if aborted. */
  check(): void {
    if (this.signal.aborted) throw this.failure();
  }

  /** Resolves when `wake` resolves; rejects with `failure()` if the context is aborted first. */
  race<T>(wake: Promise<T>): Promise<T> {
    if (this.signal.aborted) return Promise.reject(this.failure());
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(this.failure());
      this.signal.addEventListener('abort', onAbort, { once: true });
      wake.then(
        (value) => {
          this.signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          this.signal.removeEventListener('abort', onAbort);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /** Waits `ms` (abortable). */
  async sleep(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await this.race(new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))));
    } finally {
      clearTimeout(timer);
    }
  }

  dispose(): void {
    clearTimeout(this.#timer);
    for (const source of this.#sources) source.removeEventListener('abort', this.#onSourceAbort);
  }
}
