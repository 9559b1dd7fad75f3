import { NoNodeError } from '@zookit/client';
import type { ZkFramework } from '@zookit/framework';

import { REVOKE_MESSAGE } from './internal/lock-node.js';

export { REVOKE_MESSAGE };

/**
 * Curator's `Revoker.attemptRevoke`: asks the holder of a revocable lock node to release it, by writing
 * `__REVOKE__` into the node. A missing node is not an error (it was released already). Cooperative: only
 * holders that set `onRevocationRequested` react, and they decide.
 *
 * @example
 * ```ts
 * const [holder] = await mutex.getParticipantNodes();
 * if (holder !== undefined) await attemptRevoke(zk, holder);
 * ```
 */
export async function attemptRevoke(
  framework: ZkFramework,
  nodePath: string,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  try {
    await framework.setData(
      nodePath,
      REVOKE_MESSAGE,
      options.signal === undefined ? {} : { signal: options.signal },
    );
  } catch (error) {
    if (!(error instanceof NoNodeError)) throw error;
  }
}
