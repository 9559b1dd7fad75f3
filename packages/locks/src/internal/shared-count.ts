import { CreateMode, InvalidArgumentError, NodeExistsError, NoNodeError } from '@zookit/client';
import type { WatchListener } from '@zookit/client';
import type { ZkFramework } from '@zookit/framework';

/**
 * Curator's `SharedCount` bytes: a 4-byte big-endian two's-complement int.
 *
 * @example
 * ```ts
 * await zk.setData('/semaphores/db-max', encodeSharedCount(5)); // 00 00 00 05
 * ```
 */
export function encodeSharedCount(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
}

/**
 * Reads a `SharedCount` value (extra bytes are ignored, as `ByteBuffer.getInt` does); fewer than 4 bytes
 * is an `InvalidArgumentError` naming `path`.
 *
 * @example
 * ```ts
 * decodeSharedCount((await zk.getData('/semaphores/db-max')).data, '/semaphores/db-max'); // 5
 * ```
 */
export function decodeSharedCount(data: Uint8Array, path: string): number {
  if (data.length < 4) {
    throw new InvalidArgumentError(
      'sharedCountPath',
      `${path} holds ${data.length} bytes, not a SharedCount (4-byte int)`,
    );
  }
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).readInt32BE(0);
}

/**
 * Reads the count at `path` with a one-shot watch. A missing node is created with `seed` (like
 * `SharedCount.start`, container parents) when one is given, else `NoNodeError`.
 */
export async function readSharedCount(
  framework: ZkFramework,
  path: string,
  seed: number | undefined,
  watch: WatchListener,
  signal: AbortSignal,
): Promise<number> {
  for (;;) {
    try {
      const { data } = await framework.getData(path, { watch, signal });
      return decodeSharedCount(data, path);
    } catch (error) {
      if (!(error instanceof NoNodeError) || seed === undefined) throw error;
    }
    try {
      await framework.create(path, encodeSharedCount(seed), {
        mode: CreateMode.Persistent,
        parents: 'containers',
        signal,
      });
    } catch (error) {
      if (!(error instanceof NodeExistsError)) throw error;
    }
  }
}
