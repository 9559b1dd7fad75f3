import type { ZkFramework } from '@zookit/framework';
import { parseRecipeOptions } from '@zookit/framework/recipe-kit';
import type { Observable } from 'rxjs';
import { z } from 'zod';

import { checkLockPath } from './internal/parse-options.js';
import { InterProcessSemaphoreV2 } from './interprocess-semaphore-v2.js';
import { LockNotHeldError } from './lock-not-held-error.js';
import type { InterProcessLock, LockAcquireOptions, LockHandle } from './lock-handle.js';

/**
 * Options of {@link InterProcessSemaphoreMutex}.
 *
 * @example
 * ```ts
 * new InterProcessSemaphoreMutex(zk, '/locks/report', { nodeData: 'reporter' });
 * ```
 */
export interface InterProcessSemaphoreMutexOptions {
  /** Data of the lease node. Default: the local IP address. */
  readonly nodeData?: string | Uint8Array;
}

const schema = z
  .object({ nodeData: z.union([z.string(), z.instanceof(Uint8Array)]).optional() })
  .strict();

/**
 * Curator's `InterProcessSemaphoreMutex`: a NON-re-entrant mutex built on a one-lease
 * {@link InterProcessSemaphoreV2} (same layout: `<path>/locks`, `<path>/leases/_c_<uuid>-lease-<seq>`).
 * A second `acquire` waits even in the same async context.
 *
 * @example
 * ```ts
 * const mutex = new InterProcessSemaphoreMutex(zk, '/locks/report');
 * await using lock = await mutex.acquire({ timeoutMs: 1_000 });
 * ```
 */
export class InterProcessSemaphoreMutex implements InterProcessLock, AsyncDisposable {
  readonly path: string;
  readonly #semaphore: InterProcessSemaphoreV2;
  readonly #handles: LockHandle[] = [];

  constructor(
    framework: ZkFramework,
    path: string,
    options: InterProcessSemaphoreMutexOptions = {},
  ) {
    this.path = checkLockPath(path);
    const parsed = parseRecipeOptions('InterProcessSemaphoreMutex', schema, options);
    this.#semaphore = new InterProcessSemaphoreV2(framework, path, {
      maxLeases: 1,
      ...(parsed.nodeData === undefined ? {} : { nodeData: parsed.nodeData }),
    });
  }

  /** Background failures of the underlying semaphore. */
  get errors$(): Observable<Error> {
    return this.#semaphore.errors$;
  }

  /** Acquires; `LockTimeoutError` on timeout, the signal's reason on abort; nothing left behind. */
  async acquire(options: LockAcquireOptions = {}): Promise<LockHandle> {
    const handle = await this.#semaphore.acquire(options);
    this.#handles.push(handle);
    return handle;
  }

  /** Releases the lease held through this instance (Curator's `release()`); {@link LockNotHeldError} if none. */
  async release(): Promise<void> {
    const handle = this.#live().pop();
    if (handle === undefined) throw new LockNotHeldError(this.path);
    await handle.release();
  }

  /** True while a lease taken through this instance is held. */
  isAcquiredInThisProcess(): boolean {
    return this.#live().length > 0;
  }

  /** Full paths of the lease nodes. */
  getParticipantNodes(options: { signal?: AbortSignal } = {}): Promise<string[]> {
    return this.#semaphore.getParticipantNodes(options);
  }

  /** Aborts waits and releases the held lease. Idempotent. */
  close(): Promise<void> {
    return this.#semaphore.close();
  }

  /** Same as {@link InterProcessSemaphoreMutex.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #live(): LockHandle[] {
    for (let i = this.#handles.length - 1; i >= 0; i--)
      if (this.#handles[i]?.released === true) this.#handles.splice(i, 1);
    return this.#handles;
  }
}
