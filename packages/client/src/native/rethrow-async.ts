/**
 * Re-throws a listener's exception outside the addon's native frames.
 *
 * A listener that throws behaves like a throwing `EventEmitter` listener: the error becomes an uncaught
 * exception. It is thrown from a fresh microtask so it never unwinds through a C-client callback or the
 * client's own bookkeeping, which always completes first.
 *
 * @example
 * ```ts
 * try { listener(event); } catch (err) { rethrowAsync(err); }
 * ```
 */
export function rethrowAsync(err: unknown): void {
  queueMicrotask(() => {
    throw err;
  });
}
