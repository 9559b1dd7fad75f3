import { createFramework } from '@zookit/framework';
import type { FrameworkOptions, ZkFramework } from '@zookit/framework';
import { NoNodeError } from '@zookit/client';
import { startConnected, uniqueNamespace as harnessNamespace } from '@zookit/test-harness';

import type { CacheEvent, NodeSnapshot } from '../src/index.js';

/** A unique namespace for one test. */
export function uniqueNamespace(): string {
  return harnessNamespace('t');
}

/** Starts a framework and waits for its first connection. */
export function startedFramework(options: FrameworkOptions): Promise<ZkFramework> {
  return startConnected(
    createFramework({ sessionTimeoutMs: 10_000, connectionTimeoutMs: 5_000, ...options }),
  );
}

/**
 * The server's subtree under `root` (down to `maxDepth`, root = 0) as path → utf8 data, read node by node.
 * `includeRoot: false` leaves the root out (PathChildrenCache's view). A missing root gives an empty map.
 */
export async function serverTree(
  zk: ZkFramework,
  root: string,
  options: { maxDepth?: number; includeRoot?: boolean } = {},
): Promise<Map<string, string>> {
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const out = new Map<string, string>();
  const visit = async (path: string, depth: number): Promise<void> => {
    try {
      if (depth > 0 || options.includeRoot !== false)
        out.set(path, (await zk.getData(path)).data.toString('utf8'));
      if (depth >= maxDepth) return;
      const children = await zk.getChildren(path);
      await Promise.all(
        children.map((c) => visit(path === '/' ? `/${c}` : `${path}/${c}`, depth + 1)),
      );
    } catch (error) {
      if (!(error instanceof NoNodeError)) throw error;
      // Deleted while we walked: the next poll compares again.
    }
  };
  await visit(root, 0);
  return sorted(out);
}

/** A cache's entries as path → data, for comparing with {@link serverTree}. */
export function cacheTree(entries: readonly NodeSnapshot<string>[]): Map<string, string> {
  return sorted(new Map(entries.map((s) => [s.path, s.data])));
}

function sorted(map: Map<string, string>): Map<string, string> {
  return new Map([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A compact form of events for exact-sequence assertions. */
export function describeEvent<T>(event: CacheEvent<T>): string {
  switch (event.type) {
    case 'initialized':
      return 'initialized';
    case 'created':
      return `created ${event.path}=${String(event.current.data)}`;
    case 'changed':
      return `changed ${event.path}=${String(event.previous.data)}->${String(event.current.data)}`;
    case 'deleted':
      return `deleted ${event.path}=${String(event.previous.data)}`;
  }
}
