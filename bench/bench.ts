/**
 * The contract between `bench/run.ts` and each `bench/*.bench.ts` file. Keep it stable: other benchmark
 * files depend on it.
 */
import type { ZkEnsemble } from '@zookit/test-harness';

/** What the runner hands to every benchmark. */
export interface BenchContext {
  /** Connect string of the runner's standalone server (no chroot). */
  readonly connectString: string;
  /** The running ensemble (standalone), for benchmarks that need server details. */
  readonly ensemble: ZkEnsemble;
}

/**
 * One benchmark: the default export of a `bench/*.bench.ts` file. `run` returns JSON-serialisable figures
 * (bigints are printed as strings); it never asserts a time.
 *
 * @example
 * ```ts
 * const bench: Bench = { name: 'noop', run: async () => ({ ok: true }) };
 * export default bench;
 * ```
 */
export interface Bench {
  readonly name: string;
  run(ctx: BenchContext): Promise<Record<string, unknown>>;
}

/**
 * Summary statistics of latency samples in milliseconds, reported in microseconds.
 *
 * @example
 * ```ts
 * latencyStats([0.1, 0.2, 0.3]); // { samples: 3, medianUs: 200, p99Us: 300, ... }
 * ```
 */
export function latencyStats(samplesMs: readonly number[]): {
  samples: number;
  medianUs: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
} {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number): number =>
    (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 1000;
  return {
    samples: sorted.length,
    medianUs: Math.round(at(0.5)),
    p90Us: Math.round(at(0.9)),
    p99Us: Math.round(at(0.99)),
    maxUs: Math.round((sorted[sorted.length - 1] ?? 0) * 1000),
  };
}

/**
 * CPU time of this process (user + system) spent while `fn` ran, with its wall time.
 *
 * @example
 * ```ts
 * const { wallMs, cpuUs } = await measure(() => work());
 * ```
 */
export async function measure<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; wallMs: number; cpuUs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await fn();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { value, wallMs, cpuUs: used.user + used.system };
}

/**
 * The median of numbers (for picking the middle of repeated runs).
 *
 * @example
 * ```ts
 * median([3, 1, 2]); // 2
 * ```
 */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
