import { joinPath, NoNodeError } from '@zookit/client';
import type { SequentialContenders } from '@zookit/framework/recipe-kit';
import type { ZkFramework } from '@zookit/framework';

/**
 * One participant of an election (Curator's `Participant`): its id (the node's data as UTF-8), whether it
 * is the leader, and its node's path.
 *
 * @example
 * ```ts
 * const leader: Participant = await latch.getLeader();
 * if (leader.isLeader) console.log(`${leader.id} leads via ${leader.path}`);
 * ```
 */
export interface Participant {
  readonly id: string;
  readonly isLeader: boolean;
  /** The participant's node (framework-relative); empty for the "no leader" placeholder. */
  readonly path: string;
}

/**
 * What `getLeader()` returns when nobody takes part (Curator's dummy `Participant("", false)`).
 *
 * @example
 * ```ts
 * if ((await latch.getLeader()) === NO_LEADER) console.log('nobody leads');
 * ```
 */
export const NO_LEADER: Participant = Object.freeze({ id: '', isLeader: false, path: '' });

/**
 * Curator's `LeaderSelector.getParticipants`: each sorted node's data as UTF-8; nodes that vanish while
 * being read are skipped; the first node that still exists is the leader.
 *
 * @internal Shared by LeaderLatch and LeaderSelector; not exported from the package index.
 */
export async function readParticipants(
  framework: ZkFramework,
  contenders: SequentialContenders,
  signal?: AbortSignal,
): Promise<Participant[]> {
  const sorted = await contenders.getSortedChildren(signal);
  const reads = await Promise.all(
    sorted.map(async (name) => {
      const path = joinPath(contenders.basePath, name);
      try {
        const { data } = await framework.getData(path, signal === undefined ? {} : { signal });
        return { id: data.toString('utf8'), path };
      } catch (error) {
        if (error instanceof NoNodeError) return undefined;
        throw error;
      }
    }),
  );
  const present = reads.filter((r) => r !== undefined);
  return present.map((r, i) => ({ id: r.id, isLeader: i === 0, path: r.path }));
}
