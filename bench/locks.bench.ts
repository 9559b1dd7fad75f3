/**
 * InterProcessMutex cost on the wire transport (the default) and on the native one, next to Apache
 * Curator 5.4's InterProcessMutex measured the same way in a child JVM at the same time (this machine is
 * shared, so only side-by-side figures compare fairly). `ZOOKIT_BENCH_TRANSPORT=wire|native` runs one
 * transport only. Per transport:
 * - uncontended: one framework, acquire + release 2,000 times after 100 warm-up cycles (median, p99,
 *   cycles/s; one cycle = create + [read own node ∥ list contenders] + delete, 3 round trips like Curator's);
 * - contended: 8 frameworks (8 sessions) looping acquire + release on ONE path for 10 s (acquisitions/s,
 *   fairness = min/max acquisitions per framework, and the per-framework counts).
 * Curator 5.4 on the reference machine: ≈1.2 ms per uncontended cycle, ≈870 acquisitions/s contended.
 * The Curator side is skipped (reported as such) when Java or Debian's Curator jars are missing.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createFramework, type ZkFramework } from '@zookit/framework';
import { InterProcessMutex } from '@zookit/locks';
import { CURATOR_CLASSPATH } from '@zookit/test-harness';
import { latencyStats, measure, type Bench } from './bench.js';

const WARMUP = 100;
const CYCLES = 2_000;
const CONTENDERS = 8;
const CONTENDED_MS = 10_000;
type Transport = 'native' | 'wire';
const only = process.env['ZOOKIT_BENCH_TRANSPORT'];
if (only !== undefined && only !== 'wire' && only !== 'native')
  throw new Error(`ZOOKIT_BENCH_TRANSPORT must be wire or native, got ${only}`);
// The default transport first.
const TRANSPORTS: readonly Transport[] = only === undefined ? ['wire', 'native'] : [only];

async function open(
  connectString: string,
  namespace: string,
  transport: Transport,
): Promise<ZkFramework> {
  const zk = createFramework({
    connectString,
    namespace,
    sessionTimeoutMs: 10_000,
    transport,
  });
  await zk.start();
  await zk.waitForConnection({ timeoutMs: 20_000 });
  return zk;
}

async function uncontended(
  connectString: string,
  namespace: string,
  transport: Transport,
): Promise<Record<string, unknown>> {
  const zk = await open(connectString, namespace, transport);
  try {
    const mutex = new InterProcessMutex(zk, '/bench/uncontended');
    for (let i = 0; i < WARMUP; i++) await (await mutex.acquire()).release();
    const samples: number[] = [];
    const { wallMs, cpuUs } = await measure(async () => {
      for (let i = 0; i < CYCLES; i++) {
        const t = performance.now();
        const lock = await mutex.acquire();
        await lock.release();
        samples.push(performance.now() - t);
      }
    });
    const stats = latencyStats(samples);
    return {
      cycles: CYCLES,
      medianMs: stats.medianUs / 1000,
      p99Ms: stats.p99Us / 1000,
      maxMs: stats.maxUs / 1000,
      cyclesPerSec: Math.round((CYCLES / wallMs) * 1000),
      cpuUsPerCycle: Math.round(cpuUs / CYCLES),
    };
  } finally {
    await zk.close();
  }
}

async function contended(
  connectString: string,
  namespace: string,
  transport: Transport,
): Promise<Record<string, unknown>> {
  const frameworks = await Promise.all(
    Array.from({ length: CONTENDERS }, () => open(connectString, namespace, transport)),
  );
  try {
    const counts = new Array<number>(CONTENDERS).fill(0);
    let inside = 0;
    let overlaps = 0;
    const stopAt = performance.now() + CONTENDED_MS;
    const started = performance.now();
    await Promise.all(
      frameworks.map(async (zk, i) => {
        const mutex = new InterProcessMutex(zk, '/bench/contended');
        while (performance.now() < stopAt) {
          const lock = await mutex.acquire();
          if (++inside > 1) overlaps++;
          counts[i] = (counts[i] ?? 0) + 1;
          inside--;
          await lock.release();
        }
      }),
    );
    const elapsedMs = performance.now() - started;
    const total = counts.reduce((a, b) => a + b, 0);
    const min = Math.min(...counts);
    const max = Math.max(...counts);
    return {
      contenders: CONTENDERS,
      durationMs: Math.round(elapsedMs),
      acquisitions: total,
      acquisitionsPerSec: Math.round((total / elapsedMs) * 1000),
      fairnessMinOverMax: Number((min / max).toFixed(3)),
      minPerContender: min,
      maxPerContender: max,
      perContender: counts,
      overlaps,
    };
  } finally {
    await Promise.all(frameworks.map((zk) => zk.close()));
  }
}

const execFileAsync = promisify(execFile);

// The same two measurements with Curator's InterProcessMutex (one JVM, one CuratorFramework per contender).
const CURATOR_BENCH = `
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import org.apache.curator.framework.*;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.ExponentialBackoffRetry;

public final class CuratorLockBench {
  static CuratorFramework open(String cs) throws Exception {
    CuratorFramework c = CuratorFrameworkFactory.builder().connectString(cs).sessionTimeoutMs(10000)
        .connectionTimeoutMs(10000).retryPolicy(new ExponentialBackoffRetry(100, 3)).build();
    c.start();
    if (!c.blockUntilConnected(30, TimeUnit.SECONDS)) throw new IllegalStateException("no connection");
    return c;
  }
  public static void main(String[] a) throws Exception {
    String cs = a[0]; String base = a[1];
    int warmup = Integer.parseInt(a[2]), cycles = Integer.parseInt(a[3]), contenders = Integer.parseInt(a[4]);
    long contendedMs = Long.parseLong(a[5]);
    CuratorFramework c = open(cs);
    InterProcessMutex m = new InterProcessMutex(c, base + "/uncontended");
    for (int i = 0; i < warmup; i++) { m.acquire(); m.release(); }
    double[] samples = new double[cycles];
    long t0 = System.nanoTime();
    for (int i = 0; i < cycles; i++) { long t = System.nanoTime(); m.acquire(); m.release(); samples[i] = (System.nanoTime() - t) / 1e6; }
    double wallMs = (System.nanoTime() - t0) / 1e6;
    c.close();
    Arrays.sort(samples);
    List<CuratorFramework> cs2 = new ArrayList<>();
    for (int i = 0; i < contenders; i++) cs2.add(open(cs));
    long[] counts = new long[contenders];
    AtomicInteger inside = new AtomicInteger(); AtomicInteger overlaps = new AtomicInteger();
    long stopAt = System.nanoTime() + contendedMs * 1_000_000L;
    long s0 = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < contenders; i++) {
      final int k = i; final InterProcessMutex mk = new InterProcessMutex(cs2.get(i), base + "/contended");
      Thread th = new Thread(() -> {
        try { while (System.nanoTime() < stopAt) { mk.acquire(); if (inside.incrementAndGet() > 1) overlaps.incrementAndGet(); counts[k]++; inside.decrementAndGet(); mk.release(); } }
        catch (Exception e) { throw new RuntimeException(e); }
      });
      threads.add(th); th.start();
    }
    for (Thread th : threads) th.join();
    double elapsedMs = (System.nanoTime() - s0) / 1e6;
    for (CuratorFramework x : cs2) x.close();
    long total = 0, min = Long.MAX_VALUE, max = 0;
    for (long n : counts) { total += n; min = Math.min(min, n); max = Math.max(max, n); }
    System.out.println("{\\"medianMs\\":" + samples[cycles / 2] + ",\\"p99Ms\\":" + samples[(int) (cycles * 0.99)]
        + ",\\"cyclesPerSec\\":" + Math.round(cycles / wallMs * 1000) + ",\\"acquisitionsPerSec\\":" + Math.round(total / elapsedMs * 1000)
        + ",\\"fairnessMinOverMax\\":" + ((double) min / max) + ",\\"acquisitions\\":" + total + ",\\"overlaps\\":" + overlaps.get() + "}");
  }
}
`;

async function curator(connectString: string, namespace: string): Promise<Record<string, unknown>> {
  const missing = CURATOR_CLASSPATH.find((jar) => !existsSync(jar));
  if (missing !== undefined) return { skipped: `${missing} is missing` };
  const dir = await mkdtemp(join(tmpdir(), 'zookit-curator-lock-bench-'));
  try {
    await writeFile(join(dir, 'CuratorLockBench.java'), CURATOR_BENCH);
    const cp = [dir, ...CURATOR_CLASSPATH].join(':');
    await execFileAsync('javac', [
      '-nowarn',
      '-d',
      dir,
      '-cp',
      cp,
      join(dir, 'CuratorLockBench.java'),
    ]);
    const { stdout } = await execFileAsync(
      'java',
      [
        '-Xmx256m',
        '-cp',
        cp,
        'CuratorLockBench',
        connectString,
        `/${namespace}-curator`,
        String(WARMUP),
        String(CYCLES),
        String(CONTENDERS),
        String(CONTENDED_MS),
      ],
      { maxBuffer: 1 << 20 },
    );
    const line = stdout.split('\n').find((l) => l.startsWith('{'));
    if (line === undefined) return { error: `no result line in ${stdout.slice(0, 500)}` };
    const parsed = JSON.parse(line) as Record<string, number>;
    return {
      uncontended: {
        medianMs: round3(parsed['medianMs']),
        p99Ms: round3(parsed['p99Ms']),
        cyclesPerSec: parsed['cyclesPerSec'],
      },
      contended: {
        acquisitions: parsed['acquisitions'],
        acquisitionsPerSec: parsed['acquisitionsPerSec'],
        fairnessMinOverMax: round3(parsed['fairnessMinOverMax']),
        overlaps: parsed['overlaps'],
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function round3(value: number | undefined): number {
  return Math.round((value ?? Number.NaN) * 1000) / 1000;
}

async function zookitRound(
  connectString: string,
  namespace: string,
  into: Record<string, Array<Record<string, unknown>>>,
): Promise<void> {
  for (const transport of TRANSPORTS) {
    (into[transport] ??= []).push({
      uncontended: await uncontended(connectString, namespace, transport),
      contended: await contended(connectString, namespace, transport),
    });
  }
}

const bench: Bench = {
  name: 'locks',
  async run({ connectString }) {
    const namespace = `bench-locks-${randomUUID()}`;
    const loadBefore = loadavg();
    // Interleaved (zookit, Curator, zookit) so that a change in the machine's load shows up as a spread.
    const zookit: Record<string, Array<Record<string, unknown>>> = {};
    await zookitRound(connectString, namespace, zookit);
    const curator5 = await curator(connectString, namespace);
    await zookitRound(connectString, namespace, zookit);
    return {
      transports: TRANSPORTS,
      curatorReference: { uncontendedMsPerCycle: 1.2, contendedAcquisitionsPerSec: 870 },
      zookit,
      curatorSameMachine: curator5,
      loadAverage: { before: loadBefore, after: loadavg() },
    };
  },
};

export default bench;
