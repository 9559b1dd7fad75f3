import { BadVersionError, toData, ZkError } from '@zookit/client';
import type { DataResult, NodeData, Stat } from '@zookit/client';

import type { Codec } from '../codec.js';
import type { DecodedData } from '../operation-options.js';
import { checkFunction, checkOptions, updateOptions } from './check-options.js';
import type { FrameworkCore } from './framework-core.js';

/**
 * The loop behind `ZkFramework.update`: read, apply `fn`, write with the version read. BAD_VERSION (someone
 * else wrote first) starts again. After a write with an unknown outcome it re-reads: unchanged version →
 * not applied, start again; next version with exactly our bytes → applied; next version with other bytes →
 * someone else's write, ours was not applied, start again; a later version → rethrow (unknown).
 */
export async function compareAndSet(
  core: FrameworkCore,
  fullPath: string,
  path: string,
  fn: (current: unknown, stat: Stat) => unknown,
  read: () => Promise<DataResult>,
  options: { codec?: Codec<unknown>; signal?: AbortSignal },
): Promise<DecodedData<unknown>> {
  checkFunction(fn, 'fn', 'update', path);
  checkOptions(updateOptions, options, 'update', path);
  const { codec, signal } = options;
  for (;;) {
    const before = await read();
    const next = await fn(
      codec === undefined ? before.data : codec.decode(before.data, path),
      before.stat,
    );
    const bytes = toData(
      fullPath,
      codec === undefined ? (next as NodeData) : codec.encode(next, path),
    );
    try {
      // One attempt only: an automatic retry of a versioned write after connection loss could report
      // BAD_VERSION for our own write, and the loop would then apply fn twice.
      const stat = await core.once(
        (c) => c.setData(fullPath, bytes, { version: before.stat.version }),
        signal,
      );
      return { data: codec === undefined ? bytes : next, stat };
    } catch (error) {
      if (error instanceof BadVersionError) continue;
      if (!(error instanceof ZkError) || !error.outcomeUnknown) throw error;
      const after = await read();
      // A node deleted and created again restarts at version 0: versions only compare within one node.
      if (after.stat.czxid !== before.stat.czxid) throw error;
      if (after.stat.version === before.stat.version) continue;
      if (after.stat.version === before.stat.version + 1) {
        if (after.data.equals(bytes)) {
          return { data: codec === undefined ? after.data : next, stat: after.stat };
        }
        // The one write after ours-expected version carries other bytes: someone else's. Ours, made on
        // the same version, cannot have applied too, so it is safe to apply fn again on the new value.
        continue;
      }
      // Two or more writes since: ours may be one of them, and a second fn would apply twice.
      throw error;
    }
  }
}
