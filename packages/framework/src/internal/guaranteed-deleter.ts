import { NoNodeError, ZkError } from '@zookit/client';
import type { ZkClient } from '@zookit/client';
import { isRetryableError, RetriesExhaustedError } from '@zookit/retry';

import type { FrameworkCore } from './framework-core.js';

/** A background delete to carry out. */
export interface GuaranteedDeleteRequest {
  readonly path: string;
  /** Expected version, -1 for any. */
  readonly version: number;
  /**
   * For an ephemeral node: the session that created it. If the node at `path` is owned by another
   * session, it is not ours any more (our session is gone and someone re-created it): stop.
   */
  readonly ownerSessionId: bigint | undefined;
}

const ROUND_PAUSE_MS = 500;

/**
 * Curator's `FailedDeleteManager`: retries a delete in the background until it succeeds, the node is gone,
 * its owning session is gone, or the framework closes. Each round runs under the retry policy; when a round
 * gives up, the failure goes to `errors$` and a new round starts. A failure no retry can fix (NO_AUTH,
 * NOT_EMPTY, BAD_VERSION) ends it, also reported to `errors$`.
 */
export class GuaranteedDeleter {
  readonly #core: FrameworkCore;

  constructor(core: FrameworkCore) {
    this.#core = core;
  }

  async run(request: GuaranteedDeleteRequest): Promise<void> {
    const signal = this.#core.closeSignal;
    while (!signal.aborted) {
      try {
        await this.#core.run((client) => this.#attempt(client, request), signal);
        return;
      } catch (error) {
        if (signal.aborted) return;
        this.#core.reportError(error);
        const last = error instanceof RetriesExhaustedError ? error.cause : error;
        if (!isRetryableError(last) && !(last instanceof ZkError && last.outcomeUnknown)) return;
        await pause(ROUND_PAUSE_MS, signal);
      }
    }
  }

  async #attempt(client: ZkClient, request: GuaranteedDeleteRequest): Promise<void> {
    if (request.ownerSessionId !== undefined) {
      const stat = await client.exists(request.path);
      if (stat === null) return;
      if (stat.ephemeralOwner !== 0n && stat.ephemeralOwner !== request.ownerSessionId) return;
    }
    try {
      await client.delete(request.path, { version: request.version });
    } catch (error) {
      if (!(error instanceof NoNodeError)) throw error;
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
