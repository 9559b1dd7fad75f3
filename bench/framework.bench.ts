/**
 * Framework cost, once per transport (native, then wire): (1) latency of 2,000 sequential protected
 * ephemeral-sequential creates (Curator's `_c_<uuid>-` names, one round trip each when nothing fails);
 * (2) sequential getData latency through the framework vs a raw client of the same transport, in the same
 * run, interleaved in rounds so machine noise hits both alike. The overhead ratio is framework median /
 * raw median (target ≤ 1.05); (3) getData with a caller's AbortSignal reused across calls (the combined
 * signal is cached per caller signal, so this should cost what a call without a signal costs).
 */
import { randomUUID } from 'node:crypto';

import { createZkClient, CreateMode } from '@zookit/client';
import { createFramework } from '@zookit/framework';

import { latencyStats, measure, median, type Bench } from './bench.js';

const CREATES = 2_000;
const GETS_PER_ROUND = 1_000;
const ROUNDS = 6;

async function timeEach(n: number, op: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await op();
    samples.push(performance.now() - t);
  }
  return samples;
}

const TRANSPORTS = ['native', 'wire'] as const;

async function runFor(
  connectString: string,
  transport: 'native' | 'wire',
): Promise<Record<string, unknown>> {
  const namespace = `bench-fw-${randomUUID()}`;
  const zk = createFramework({ connectString, namespace, sessionTimeoutMs: 30_000, transport });
  const raw = createZkClient({ connectString, sessionTimeoutMs: 30_000, transport });
  try {
    await zk.start();
    await zk.waitForConnection({ timeoutMs: 30_000 });
    await raw.connect();

    // 1. protected ephemeral-sequential creates
    await zk.create('/jobs', null, { mode: CreateMode.Container });
    const creates = await measure(() =>
      timeEach(CREATES, () =>
        zk.create('/jobs/job-', 'x', { mode: CreateMode.EphemeralSequential, protected: true }),
      ),
    );

    // 2. getData: framework vs raw client, same node, alternating rounds (warm-up round discarded)
    await zk.create('/data', Buffer.alloc(100, 0x61));
    const rawPath = `/${namespace}/data`;
    const fwSamples: number[] = [];
    const rawSamples: number[] = [];
    const fwRoundMedians: number[] = [];
    const rawRoundMedians: number[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      const fw = await timeEach(GETS_PER_ROUND, () => zk.getData('/data'));
      const rw = await timeEach(GETS_PER_ROUND, () => raw.getData(rawPath));
      if (round === 0) continue;
      fwSamples.push(...fw);
      rawSamples.push(...rw);
      fwRoundMedians.push(median(fw));
      rawRoundMedians.push(median(rw));
    }
    const controller = new AbortController();
    const withSignal = await timeEach(GETS_PER_ROUND * 2, () =>
      zk.getData('/data', { signal: controller.signal }),
    );
    const fwStats = latencyStats(fwSamples);
    const rawStats = latencyStats(rawSamples);
    return {
      protectedEphemeralSequentialCreate: {
        ...latencyStats(creates.value),
        opsPerSec: Math.round((CREATES / creates.wallMs) * 1000),
        cpuUsPerOp: Math.round(creates.cpuUs / CREATES),
      },
      getData: {
        framework: fwStats,
        raw: rawStats,
        overheadRatioMedian: Number((median(fwSamples) / median(rawSamples)).toFixed(3)),
        overheadRatioP99: Number((fwStats.p99Us / Math.max(1, rawStats.p99Us)).toFixed(3)),
        overheadRatioPerRound: fwRoundMedians.map((f, i) =>
          Number((f / (rawRoundMedians[i] ?? f)).toFixed(3)),
        ),
        frameworkWithReusedSignal: latencyStats(withSignal),
      },
    };
  } finally {
    await raw.close();
    await zk.close();
  }
}

const bench: Bench = {
  name: 'framework',
  async run({ connectString }) {
    const results: Record<string, unknown> = {};
    for (const transport of TRANSPORTS) results[transport] = await runFor(connectString, transport);
    return results;
  },
};

export default bench;
