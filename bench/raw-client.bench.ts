/**
 * Raw client cost on the native transport: sequential getData latency and pipelined getData throughput,
 * through `NativeZkClient` and, as a baseline, through the binding's bare callback API (what the wrapper
 * adds: validation, promises, typed stats). 100-byte node; each phase runs 3 times and the median run is
 * reported next to every run's figure. Client CPU comes from `process.cpuUsage()` of this process.
 */
import { randomUUID } from 'node:crypto';
import { createZkClient, type ZkClient } from '@zookit/client';
import {
  loadNativeBinding,
  type NativeZkHandle,
} from '../packages/client/src/native/native-binding.js';
import { latencyStats, measure, median, type Bench } from './bench.js';

const SEQUENTIAL = 2_000;
const BATCHES = 10;
const BATCH = 1_000;
const RUNS = 3;

type Get = (path: string) => Promise<unknown>;

async function sequential(get: Get, path: string): Promise<Record<string, number>> {
  const samples: number[] = [];
  const { wallMs, cpuUs } = await measure(async () => {
    for (let i = 0; i < SEQUENTIAL; i++) {
      const t = performance.now();
      await get(path);
      samples.push(performance.now() - t);
    }
  });
  return {
    ...latencyStats(samples),
    opsPerSec: Math.round((SEQUENTIAL / wallMs) * 1000),
    cpuUsPerOp: Math.round(cpuUs / SEQUENTIAL),
  };
}

async function pipelined(get: Get, path: string): Promise<Record<string, number>> {
  const { wallMs, cpuUs } = await measure(async () => {
    for (let b = 0; b < BATCHES; b++)
      await Promise.all(Array.from({ length: BATCH }, () => get(path)));
  });
  const ops = BATCHES * BATCH;
  return { ops, opsPerSec: Math.round((ops / wallMs) * 1000), cpuUsPerOp: Math.round(cpuUs / ops) };
}

/** Runs a phase RUNS times; reports the run with the median of `key` plus every run's `key`. */
async function repeated(
  phase: () => Promise<Record<string, number>>,
  key: string,
): Promise<Record<string, unknown>> {
  const runs: Record<string, number>[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await phase());
  const mid = median(runs.map((r) => r[key] ?? 0));
  const chosen = runs.find((r) => r[key] === mid) ?? runs[0];
  return { ...chosen, [`${key}AllRuns`]: runs.map((r) => r[key]) };
}

async function bareHandle(connectString: string): Promise<NativeZkHandle> {
  const handle = new (loadNativeBinding())();
  await new Promise<void>((resolve, reject) => {
    handle.emit = (event) => {
      if (event === 'connect') resolve();
    };
    const r = handle.init({
      connect: connectString,
      timeout: 10_000,
      debug_level: 0,
      host_order_deterministic: false,
      response_counter_limit: 1_000_000,
    });
    if (r instanceof Error) reject(r);
  });
  return handle;
}

const bench: Bench = {
  name: 'raw-client',
  async run({ connectString }) {
    const client: ZkClient = createZkClient({ connectString, transport: 'native' });
    await client.connect();
    const path = `/bench-raw-${randomUUID()}`;
    await client.create(path, Buffer.alloc(100, 0x61));
    const handle = await bareHandle(connectString);
    const wrapped: Get = (p) => client.getData(p);
    const bare: Get = (p) =>
      new Promise((resolve, reject) => {
        const rc = handle.a_get(p, false, (code, _e, _stat, data) =>
          code === 0 ? resolve(data) : reject(new Error(String(code))),
        );
        if (rc !== 0) reject(new Error(String(rc)));
      });
    try {
      // Warm-up: JIT, server caches, TCP buffers.
      await pipelined(wrapped, path);
      await pipelined(bare, path);
      for (let i = 0; i < 1_000; i++) await wrapped(path);
      for (let i = 0; i < 1_000; i++) await bare(path);
      return {
        transport: client.transport,
        dataBytes: 100,
        runsPerPhase: RUNS,
        sequentialGetData: await repeated(() => sequential(wrapped, path), 'medianUs'),
        pipelinedGetData: await repeated(() => pipelined(wrapped, path), 'opsPerSec'),
        bindingBaseline: {
          sequentialGet: await repeated(() => sequential(bare, path), 'medianUs'),
          pipelinedGet: await repeated(() => pipelined(bare, path), 'opsPerSec'),
        },
      };
    } finally {
      handle.close();
      await client.delete(path);
      await client.close();
    }
  },
};

export default bench;
