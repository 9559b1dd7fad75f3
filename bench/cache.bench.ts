/**
 * Cache cost: NodeCache propagation latency (a writer on another session sets the node, then we wait for
 * the cache's change listener to see the value; 1,000 sequential rounds, per transport), and the load of a
 * 10,000-node TreeCache (time from `start()` to initialized, and the heap it holds, measured after a full
 * GC before and after). For comparison, Curator's NodeCache measured ≈1.1 ms median on this machine.
 */
import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { NodeCache, TreeCache, utf8Codec } from '@zookit/cache';
import { createZkClient } from '@zookit/client';
import { createFramework, type ZkFramework } from '@zookit/framework';
import { latencyStats, type Bench } from './bench.js';

const ROUNDS = 1_000;
const WARMUP = 50;
const TREE_PARENTS = 100;
const TREE_CHILDREN = 99; // 100 parents + 9,900 children = 10,000 nodes under the root
const TREE_DATA = Buffer.alloc(64, 0x61);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function framework(
  connectString: string,
  transport: 'native' | 'wire',
  namespace: string,
): Promise<ZkFramework> {
  const zk = createFramework({ connectString, transport, namespace, sessionTimeoutMs: 30_000 });
  await zk.start();
  await zk.waitForConnection({ timeoutMs: 20_000 });
  return zk;
}

async function propagation(
  connectString: string,
  transport: 'native' | 'wire',
): Promise<Record<string, unknown>> {
  const namespace = `bench-cache-${randomUUID()}`;
  const reader = await framework(connectString, transport, namespace);
  const writer = await framework(connectString, 'native', namespace);
  try {
    await writer.create('/cfg', 'start');
    const cache = new NodeCache(reader, '/cfg', { codec: utf8Codec });
    await cache.start();
    let expected = '';
    let arrived: (() => void) | undefined;
    cache.onChange((value) => {
      if (value === expected) arrived?.();
    });
    const samples: number[] = [];
    const writes: number[] = [];
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      expected = `v${i}`;
      const seen = new Promise<void>((resolve) => (arrived = resolve));
      const t0 = performance.now();
      await writer.setData('/cfg', expected);
      const t1 = performance.now();
      await seen;
      if (i >= WARMUP) {
        samples.push(performance.now() - t0);
        writes.push(t1 - t0);
      }
    }
    await cache.close();
    // The write's own round trip (fsync on the server included) is part of every sample: shown apart.
    return { transport, ...latencyStats(samples), setDataAlone: latencyStats(writes) };
  } finally {
    await writer.delete('/', { recursive: true, quietly: true }).catch(() => undefined);
    await reader.close();
    await writer.close();
  }
}

async function treeLoad(
  connectString: string,
  transport: 'native' | 'wire',
  root: string,
): Promise<Record<string, unknown>> {
  const zk = await framework(connectString, transport, root.slice(1));
  try {
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const tree = new TreeCache(zk, '/');
    const t0 = performance.now();
    await tree.start();
    const loadMs = performance.now() - t0;
    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    const nodes = tree.size;
    await tree.close();
    return {
      transport,
      nodes,
      loadMs: Math.round(loadMs),
      heapMiB: Number(((heapAfter - heapBefore) / 2 ** 20).toFixed(1)),
      heapBytesPerNode: Math.round((heapAfter - heapBefore) / nodes),
    };
  } finally {
    await zk.close();
  }
}

async function populateTree(connectString: string, root: string): Promise<number> {
  const client = createZkClient({ connectString, transport: 'native' });
  await client.connect();
  try {
    await client.create(root, TREE_DATA);
    await Promise.all(
      Array.from({ length: TREE_PARENTS }, (_, p) => client.create(`${root}/p${p}`, TREE_DATA)),
    );
    for (let p = 0; p < TREE_PARENTS; p++) {
      await Promise.all(
        Array.from({ length: TREE_CHILDREN }, (_, c) =>
          client.create(`${root}/p${p}/c${c}`, TREE_DATA),
        ),
      );
    }
  } finally {
    await client.close();
  }
  return 1 + TREE_PARENTS * (1 + TREE_CHILDREN);
}

async function removeTree(connectString: string, root: string): Promise<void> {
  const zk = await framework(connectString, 'native', root.slice(1));
  try {
    await zk.delete('/', { recursive: true, quietly: true });
  } finally {
    await zk.close();
  }
}

const bench: Bench = {
  name: 'cache',
  async run({ connectString }) {
    const nodeCacheLatency = [
      await propagation(connectString, 'native'),
      await propagation(connectString, 'wire'),
    ];
    const root = `/bench-tree-${randomUUID()}`;
    const nodes = await populateTree(connectString, root);
    try {
      const treeCacheLoad = [
        await treeLoad(connectString, 'native', root),
        await treeLoad(connectString, 'wire', root),
      ];
      return {
        nodeCacheLatency,
        treeCacheLoad: {
          nodesOnServer: nodes,
          dataBytesPerNode: TREE_DATA.length,
          runs: treeCacheLoad,
        },
        curatorNodeCacheMedianUsForComparison: 1100,
      };
    } finally {
      await removeTree(connectString, root);
    }
  },
};

export default bench;
