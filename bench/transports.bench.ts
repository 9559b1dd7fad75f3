/**
 * Native binding vs zookit's wire client, side by side in one process against one server: sequential
 * getData latency, pipelined getData throughput (20 × 1,000 in flight), client CPU per operation
 * (`process.cpuUsage()`) and memory. 100-byte node. The transports alternate within each of 3 rounds so
 * that server warm-up and machine noise hit both; the round with the median figure is reported, with all
 * rounds' figures beside it.
 */
import { randomUUID } from 'node:crypto';
import { createZkClient, type ZkClient } from '@zookit/client';
import { latencyStats, measure, median, type Bench } from './bench.js';

const SEQUENTIAL = 2_000;
const BATCHES = 20;
const BATCH = 1_000;
const ROUNDS = 3;
const TRANSPORTS = ['native', 'wire'] as const;
type Transport = (typeof TRANSPORTS)[number];

async function sequential(client: ZkClient, path: string): Promise<Record<string, number>> {
  const samples: number[] = [];
  const { wallMs, cpuUs } = await measure(async () => {
    for (let i = 0; i < SEQUENTIAL; i++) {
      const t = performance.now();
      await client.getData(path);
      samples.push(performance.now() - t);
    }
  });
  const { medianUs, p99Us } = latencyStats(samples);
  return {
    medianUs,
    p99Us,
    opsPerSec: Math.round((SEQUENTIAL / wallMs) * 1000),
    cpuUsPerOp: cpuUs / SEQUENTIAL,
  };
}

async function pipelined(client: ZkClient, path: string): Promise<Record<string, number>> {
  const { wallMs, cpuUs } = await measure(async () => {
    for (let b = 0; b < BATCHES; b++)
      await Promise.all(Array.from({ length: BATCH }, () => client.getData(path)));
  });
  const ops = BATCHES * BATCH;
  const mem = process.memoryUsage();
  return {
    opsPerSec: Math.round((ops / wallMs) * 1000),
    cpuUsPerOp: cpuUs / ops,
    rssMb: Math.round(mem.rss / 2 ** 20),
    heapUsedMb: Math.round(mem.heapUsed / 2 ** 20),
  };
}

function pick(runs: Record<string, number>[], key: string): Record<string, unknown> {
  const mid = median(runs.map((r) => r[key] ?? 0));
  const chosen = runs.find((r) => r[key] === mid) ?? runs[0] ?? {};
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    ...Object.fromEntries(Object.entries(chosen).map(([k, v]) => [k, round(v)])),
    allRounds: Object.fromEntries(
      Object.keys(chosen).map((k) => [k, runs.map((r) => round(r[k] ?? 0))]),
    ),
  };
}

const bench: Bench = {
  name: 'transports',
  async run({ connectString }) {
    const clients = {} as Record<Transport, ZkClient>;
    for (const t of TRANSPORTS) {
      clients[t] = createZkClient({ connectString, transport: t, sessionTimeoutMs: 30_000 });
      await clients[t].connect();
    }
    const path = `/bench-transports-${randomUUID()}`;
    await clients.wire.create(path, Buffer.alloc(100, 0x61));
    const seq: Record<Transport, Record<string, number>[]> = { native: [], wire: [] };
    const pipe: Record<Transport, Record<string, number>[]> = { native: [], wire: [] };
    try {
      for (const t of TRANSPORTS) {
        // Warm-up: JIT, server caches, TCP buffers.
        await pipelined(clients[t], path);
        for (let i = 0; i < 500; i++) await clients[t].getData(path);
      }
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? TRANSPORTS : [...TRANSPORTS].reverse();
        for (const t of order) {
          seq[t].push(await sequential(clients[t], path));
          pipe[t].push(await pipelined(clients[t], path));
        }
      }
      const cpu = (t: Transport) => median(pipe[t].map((r) => r['cpuUsPerOp'] ?? 0));
      return {
        dataBytes: 100,
        rounds: ROUNDS,
        sequentialGetData: {
          native: pick(seq.native, 'medianUs'),
          wire: pick(seq.wire, 'medianUs'),
        },
        pipelinedGetData: {
          native: pick(pipe.native, 'opsPerSec'),
          wire: pick(pipe.wire, 'opsPerSec'),
        },
        wireToNativeCpuPerPipelinedOp: Math.round((cpu('wire') / cpu('native')) * 100) / 100,
      };
    } finally {
      await clients.wire.delete(path);
      for (const t of TRANSPORTS) await clients[t].close();
    }
  },
};

export default bench;
